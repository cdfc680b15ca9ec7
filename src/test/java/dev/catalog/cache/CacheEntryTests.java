package dev.catalog.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CacheEntryTests {

	private final CacheProperties properties = new CacheProperties(null, Duration.ofSeconds(5), Duration.ofMinutes(1),
			Duration.ofHours(1), null, null, null, null, null, null, null, null);

	@Test
	void entryDecodesToWhatWasEncodedWithTheBodyUncopied() {
		byte[] body = "{\"items\":[]}".getBytes(StandardCharsets.UTF_8);
		CacheEntry entry = CacheEntry.create(42, 1_000, this.properties, 7, "\"abc\"", body);

		CacheEntry decoded = CacheEntry.decode(entry.data());

		assertThat(decoded.generation()).isEqualTo(42);
		assertThat(decoded.createdAt()).isEqualTo(1_000);
		assertThat(decoded.freshUntil()).isEqualTo(6_000);
		assertThat(decoded.staleUntil()).isEqualTo(66_000);
		assertThat(decoded.errorUntil()).isEqualTo(3_606_000);
		assertThat(decoded.loadMillis()).isEqualTo(7);
		assertThat(decoded.etag()).isEqualTo("\"abc\"");
		assertThat(decoded.data()).isSameAs(entry.data());
		ByteBuffer decodedBody = decoded.body();
		byte[] bytes = new byte[decodedBody.remaining()];
		decodedBody.get(bytes);
		assertThat(bytes).isEqualTo(body);
		assertThat(decoded.bodyLength()).isEqualTo(body.length);
	}

	@Test
	void bytesThatAreNotAnEntryDecodeToNothing() {
		assertThat(CacheEntry.decode(null)).isNull();
		assertThat(CacheEntry.decode(new byte[3])).isNull();
		assertThat(CacheEntry.decode("{\"legacy\":\"json value stored by something else\"}".getBytes(StandardCharsets.UTF_8)))
			.isNull();
	}

	@Test
	void entryIsKeptForTheLongerOfStaleAndStaleIfError() {
		CacheProperties shortError = new CacheProperties(null, Duration.ofSeconds(5), Duration.ofMinutes(10),
				Duration.ofMinutes(1), null, null, null, null, null, null, null, null);
		CacheEntry entry = CacheEntry.create(1, 0, shortError, 1, "\"x\"", new byte[0]);
		assertThat(entry.staleUntil()).isEqualTo(entry.errorUntil()).isEqualTo(5_000 + 600_000);
	}

}
