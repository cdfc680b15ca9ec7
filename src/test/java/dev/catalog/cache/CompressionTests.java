package dev.catalog.cache;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import com.aayushatharva.brotli4j.decoder.Decoder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.util.unit.DataSize;

import static dev.catalog.cache.ContentCoding.BR;
import static dev.catalog.cache.ContentCoding.GZIP;
import static dev.catalog.cache.ContentCoding.IDENTITY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CompressionTests {

	private static final byte[] PAGE = page(4000);

	private final MeterRegistry registry = new SimpleMeterRegistry();

	private final CacheMetrics metrics = new CacheMetrics(this.registry);

	@Test
	void everyConfiguredCodingDecompressesToExactlyTheIdentityBody() throws IOException {
		Encoded encoded = compression(defaults(), true).encodeAll(PAGE);

		assertThat(encoded.variants()).extracting(Encoded.Variant::coding).containsExactly(IDENTITY, BR, GZIP);
		assertThat(encoded.identity()).isSameAs(PAGE);
		assertThat(encoded.etag()).isEqualTo(CacheEntry.etagOf(PAGE));
		assertThat(Decoder.decompress(encoded.variants().get(1).body()).getDecompressedData()).isEqualTo(PAGE);
		assertThat(gunzip(encoded.variants().get(2).body())).isEqualTo(PAGE);
		assertThat(encoded.variants().get(1).body().length).isLessThan(PAGE.length / 3);
		assertThat(compressions("br")).isOne();
		assertThat(compressions("gzip")).isOne();
	}

	@Test
	void theConfiguredOrderIsTheOrderOfPreference() {
		CompressionProperties gzipFirst = new CompressionProperties(null, List.of(GZIP, BR), null);
		assertThat(compression(gzipFirst, true).encodeAll(PAGE).variants()).extracting(Encoded.Variant::coding)
			.containsExactly(IDENTITY, GZIP, BR);
	}

	@Test
	void answersUnderTheMinimumSizeStayIdentity() {
		Compression compression = compression(defaults(), true);
		byte[] small = page(1023);
		assertThat(small).hasSize(1023);
		assertThat(compression.encodeAll(small).variants()).extracting(Encoded.Variant::coding).containsExactly(IDENTITY);
		assertThat(compression.encodeAll(page(1024)).variants()).hasSize(3);
		assertThat(compressions("br") + compressions("gzip")).isEqualTo(2);
	}

	@Test
	void aCodingThatDoesNotMakeTheAnswerSmallerIsLeftOut() {
		byte[] noise = new byte[4096];
		new Random(7).nextBytes(noise);
		assertThat(compression(defaults(), true).encodeAll(noise).variants()).extracting(Encoded.Variant::coding)
			.containsExactly(IDENTITY);
	}

	@Test
	void withoutTheNativeBrotliLibraryAnswersAreGzipped() {
		Compression compression = compression(defaults(), false);
		assertThat(compression.encodeAll(PAGE).variants()).extracting(Encoded.Variant::coding)
			.containsExactly(IDENTITY, GZIP);
		assertThat(compression.encodeFor(PAGE, AcceptEncoding.parse(List.of("br, gzip"))).variants())
			.extracting(Encoded.Variant::coding)
			.containsExactly(IDENTITY, GZIP);
	}

	@Test
	void disabledCompressionStoresIdentityOnly() {
		CompressionProperties off = new CompressionProperties(false, null, null);
		assertThat(compression(off, true).encodeAll(PAGE).variants()).extracting(Encoded.Variant::coding)
			.containsExactly(IDENTITY);
		assertThat(compressions("br") + compressions("gzip")).isZero();
	}

	@Test
	void anAnswerThatIsNotStoredIsCompressedIntoTheNegotiatedCodingAlone() {
		Compression compression = compression(defaults(), true);
		assertThat(compression.encodeFor(PAGE, AcceptEncoding.parse(List.of("gzip"))).variants())
			.extracting(Encoded.Variant::coding)
			.containsExactly(IDENTITY, GZIP);
		assertThat(compression.encodeFor(PAGE, AcceptEncoding.parse(null)).variants()).hasSize(1);
		assertThat(compressions("br")).isZero();
		assertThat(compressions("gzip")).isOne();
	}

	@Test
	void propertiesDefaultToBrThenGzipFromOneKibibyte() {
		CompressionProperties properties = defaults();
		assertThat(properties.enabled()).isTrue();
		assertThat(properties.encodings()).containsExactly(BR, GZIP);
		assertThat(properties.minSize()).isEqualTo(DataSize.ofBytes(1024));
	}

	@Test
	void propertiesBindFromTheirConfigurationForm() {
		var source = new MapConfigurationPropertySource(
				Map.of("catalog.compression.encodings", "gzip, br", "catalog.compression.min-size", "2KB"));
		CompressionProperties bound = new Binder(source).bind("catalog.compression", CompressionProperties.class).get();
		assertThat(bound.encodings()).containsExactly(GZIP, BR);
		assertThat(bound.minSize()).isEqualTo(DataSize.ofKilobytes(2));
	}

	@Test
	void identityAndRepeatedCodingsAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new CompressionProperties(null, List.of(IDENTITY), null))
			.withMessageContaining("catalog.compression.encodings");
		assertThatIllegalArgumentException().isThrownBy(() -> new CompressionProperties(null, List.of(GZIP, GZIP), null))
			.withMessageContaining("twice");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CompressionProperties(null, null, DataSize.ofBytes(-1)))
			.withMessageContaining("min-size");
	}

	private Compression compression(CompressionProperties properties, boolean brotli) {
		return new Compression(properties, this.metrics, () -> brotli && Compression.brotliLoads());
	}

	private static CompressionProperties defaults() {
		return new CompressionProperties(null, null, null);
	}

	private long compressions(String encoding) {
		return this.registry.get("catalog.cache.compressions").tag("encoding", encoding).timer().count();
	}

	/** A JSON-like body of exactly {@code size} bytes. */
	private static byte[] page(int size) {
		StringBuilder json = new StringBuilder("{\"items\":[");
		for (int i = 0; json.length() < size; i++) {
			json.append("{\"id\":").append(i).append(",\"name\":\"artifact-").append(i).append("\"},");
		}
		return json.substring(0, size).getBytes(StandardCharsets.UTF_8);
	}

	private static byte[] gunzip(byte[] gzipped) throws IOException {
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
			return in.readAllBytes();
		}
	}

}
