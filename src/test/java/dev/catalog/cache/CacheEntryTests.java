package dev.catalog.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import static dev.catalog.cache.ContentCoding.BR;
import static dev.catalog.cache.ContentCoding.GZIP;
import static dev.catalog.cache.ContentCoding.IDENTITY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CacheEntryTests {

	private static final byte[] BODY = "{\"items\":[]}".getBytes(StandardCharsets.UTF_8);

	private static final byte[] GZIPPED = { 1, 2, 3 };

	private static final byte[] BROTLI = { 4, 5 };

	private final CacheProperties properties = new CacheProperties(null, Duration.ofSeconds(5), Duration.ofMinutes(1),
			Duration.ofHours(1), null, null, null, null, null, null, null, null, null, null, null);

	@Test
	void entryDecodesToWhatWasEncodedWithTheBodiesUncopied() {
		CacheEntry entry = CacheEntry.create(42, 1_000, this.properties, 7, encoded(BODY, BROTLI, GZIPPED));

		CacheEntry decoded = CacheEntry.decode(entry.data());

		assertThat(decoded.generation()).isEqualTo(42);
		assertThat(decoded.createdAt()).isEqualTo(1_000);
		assertThat(decoded.freshUntil()).isEqualTo(6_000);
		assertThat(decoded.staleUntil()).isEqualTo(66_000);
		assertThat(decoded.errorUntil()).isEqualTo(3_606_000);
		assertThat(decoded.loadMillis()).isEqualTo(7);
		assertThat(decoded.etag()).isEqualTo("\"abc\"");
		assertThat(decoded.data()).isSameAs(entry.data());
		assertThat(decoded.codingCount()).isEqualTo(3);
		assertThat(List.of(decoded.coding(0), decoded.coding(1), decoded.coding(2))).containsExactly(IDENTITY, BR, GZIP);
		assertThat(bytes(decoded.body(IDENTITY))).isEqualTo(BODY);
		assertThat(bytes(decoded.body(BR))).isEqualTo(BROTLI);
		assertThat(bytes(decoded.body(GZIP))).isEqualTo(GZIPPED);
		assertThat(decoded.body(GZIP).array()).isSameAs(entry.data());
	}

	@Test
	void eachCodingHasItsOwnStrongEtagAndAnyOfThemMatches() {
		CacheEntry entry = CacheEntry.create(1, 0, this.properties, 1, encoded(BODY, BROTLI, GZIPPED));
		assertThat(entry.etag(IDENTITY)).isEqualTo("\"abc\"");
		assertThat(entry.etag(GZIP)).isEqualTo("\"abc-gz\"");
		assertThat(entry.etag(BR)).isEqualTo("\"abc-br\"");
		assertThat(entry.matches("\"abc\"")).isTrue();
		assertThat(entry.matches("\"abc-gz\"")).isTrue();
		assertThat(entry.matches("W/\"abc-br\"")).isTrue();
		assertThat(entry.matches("\"other\", \"abc-br\"")).isTrue();
		assertThat(entry.matches("*")).isTrue();
		assertThat(entry.matches("\"abc-zz\"")).isFalse();
		assertThat(entry.matches("\"abcd\"")).isFalse();
		assertThat(entry.matches("\"ab\"")).isFalse();
		assertThat(entry.matches("abc")).isFalse();
		assertThat(entry.matches("")).isFalse();
	}

	@Test
	void theNegotiatedCodingIsAmongThoseStored() {
		CacheEntry compressed = CacheEntry.create(1, 0, this.properties, 1, encoded(BODY, BROTLI, GZIPPED));
		CacheEntry small = CacheEntry.create(1, 0, this.properties, 1, new Encoded("\"abc\"",
				List.of(new Encoded.Variant(IDENTITY, BODY))));
		AcceptEncoding browser = AcceptEncoding.parse(List.of("gzip, deflate, br, zstd"));
		assertThat(compressed.negotiate(browser)).isEqualTo(BR);
		assertThat(compressed.negotiate(AcceptEncoding.parse(List.of("gzip")))).isEqualTo(GZIP);
		assertThat(compressed.negotiate(AcceptEncoding.parse(null))).isEqualTo(IDENTITY);
		assertThat(small.negotiate(browser)).isEqualTo(IDENTITY);
		assertThat(small.codingCount()).isOne();
		assertThatIllegalArgumentException().isThrownBy(() -> small.body(GZIP));
	}

	@Test
	void anUncachedAnswerHasTheSameLayoutWithoutTimes() {
		CacheEntry entry = CacheEntry.uncached(encoded(BODY, GZIPPED));
		assertThat(entry.freshUntil()).isZero();
		assertThat(bytes(entry.body(GZIP))).isEqualTo(GZIPPED);
		assertThat(CacheEntry.decode(entry.data())).isNotNull();
	}

	@Test
	void bytesThatAreNotAnEntryOfThisFormatDecodeToNothing() {
		assertThat(CacheEntry.decode(null)).isNull();
		assertThat(CacheEntry.decode(new byte[3])).isNull();
		assertThat(CacheEntry.decode("{\"legacy\":\"json value stored by something else\"}".getBytes(StandardCharsets.UTF_8)))
			.isNull();
		byte[] valid = CacheEntry.create(1, 0, this.properties, 1, encoded(BODY, GZIPPED)).data();
		// an entry of format 1 (one identity body after the ETag), as the previous version stored
		byte[] formatOne = valid.clone();
		formatOne[3] = 1;
		assertThat(CacheEntry.decode(formatOne)).isNull();
		assertThat(CacheEntry.decode(Arrays.copyOf(valid, valid.length - 1))).isNull();
		assertThat(CacheEntry.decode(Arrays.copyOf(valid, valid.length + 1))).isNull();
		int table = 4 + 8 * 5 + 4 + 2 + "\"abc\"".length();
		byte[] unknownCoding = valid.clone();
		unknownCoding[table + 1 + 5] = 99;
		assertThat(CacheEntry.decode(unknownCoding)).isNull();
		byte[] identityNotFirst = valid.clone();
		identityNotFirst[table + 1] = GZIP.id();
		assertThat(CacheEntry.decode(identityNotFirst)).isNull();
		byte[] noCodings = valid.clone();
		noCodings[table] = 0;
		assertThat(CacheEntry.decode(noCodings)).isNull();
	}

	@Test
	void entryIsKeptForTheLongerOfStaleAndStaleIfError() {
		CacheProperties shortError = new CacheProperties(null, Duration.ofSeconds(5), Duration.ofMinutes(10),
				Duration.ofMinutes(1), null, null, null, null, null, null, null, null, null, null, null);
		CacheEntry entry = CacheEntry.create(1, 0, shortError, 1, Encoded.identity(new byte[0]));
		assertThat(entry.staleUntil()).isEqualTo(entry.errorUntil()).isEqualTo(5_000 + 600_000);
	}

	/** {@code identity}, then br if two more bodies are given, then gzip; with the ETag {@code "abc"}. */
	private static Encoded encoded(byte[] identity, byte[]... compressed) {
		List<Encoded.Variant> variants = new ArrayList<>();
		variants.add(new Encoded.Variant(IDENTITY, identity));
		if (compressed.length == 2) {
			variants.add(new Encoded.Variant(BR, compressed[0]));
		}
		variants.add(new Encoded.Variant(GZIP, compressed[compressed.length - 1]));
		return new Encoded("\"abc\"", variants);
	}

	private static byte[] bytes(ByteBuffer buffer) {
		byte[] bytes = new byte[buffer.remaining()];
		buffer.duplicate().get(bytes);
		return bytes;
	}

}
