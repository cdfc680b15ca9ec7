package dev.catalog.cache;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.Decoder;
import dev.catalog.CatalogIntegrationTest;
import dev.catalog.TestCatalog;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.HttpClient;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.server.WebFilter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cached answers compressed once, when loaded: one entry answers identity, gzip and br as
 * stored bytes (no load, no compression on a hit), each coding with its own ETag, each
 * revalidating. Spring's Reactor Netty connector asks for gzip and br and decompresses by
 * default, so the client here is a plain Reactor Netty {@code HttpClient} that does neither:
 * the bodies are the raw bytes on the wire. A filter that sets the {@code Vary} a request names
 * in {@code X-Test-Vary} stands in for a CORS filter that runs before the handlers.
 */
@CatalogIntegrationTest
@Import(CompressionIntegrationTests.PresetVary.class)
class CompressionIntegrationTests {

	private static final String PAGE = "/api/v1/artifacts?limit=50";

	private static final String PRESET_VARY = "X-Test-Vary";

	@Autowired
	Environment environment;

	@Autowired
	TestCatalog catalog;

	@Autowired
	MeterRegistry registry;

	private WebTestClient http;

	@BeforeEach
	void seed() {
		this.http = raw(this.environment);
		this.catalog.reset();
		this.catalog.seed(60, 3);
		Brotli4jLoader.ensureAvailability();
	}

	@Test
	void oneLoadAnswersEveryCodingAndAHitCompressesNothing() {
		EntityExchangeResult<byte[]> identity = get(PAGE, null, null);
		assertThat(identity.getResponseHeaders().getFirst("X-Cache")).isEqualTo("MISS");
		assertThat(identity.getResponseHeaders().getFirst(HttpHeaders.CONTENT_ENCODING)).isNull();
		byte[] body = identity.getResponseBody();
		String etag = identity.getResponseHeaders().getETag();
		assertThat(body.length).isGreaterThan(10_000);
		double loads = loads();
		long compressions = compressions();

		EntityExchangeResult<byte[]> gzip = get(PAGE, "gzip", null);
		EntityExchangeResult<byte[]> br = get(PAGE, "gzip, deflate, br, zstd", null);
		EntityExchangeResult<byte[]> again = get(PAGE, "identity", null);

		assertThat(gzip.getResponseHeaders().getFirst(HttpHeaders.CONTENT_ENCODING)).isEqualTo("gzip");
		assertThat(gunzip(gzip.getResponseBody())).isEqualTo(body);
		assertThat(gzip.getResponseHeaders().getETag()).isEqualTo(withSuffix(etag, "-gz"));
		assertThat(gzip.getResponseHeaders().getContentLength()).isEqualTo(gzip.getResponseBody().length);
		assertThat(br.getResponseHeaders().getFirst(HttpHeaders.CONTENT_ENCODING)).isEqualTo("br");
		assertThat(unbrotli(br.getResponseBody())).isEqualTo(body);
		assertThat(br.getResponseHeaders().getETag()).isEqualTo(withSuffix(etag, "-br"));
		assertThat(br.getResponseBody().length).isLessThan(gzip.getResponseBody().length);
		assertThat(again.getResponseBody()).isEqualTo(body);
		assertThat(again.getResponseHeaders().getETag()).isEqualTo(etag);
		for (EntityExchangeResult<byte[]> hit : List.of(gzip, br, again)) {
			assertThat(hit.getResponseHeaders().getFirst("X-Cache")).isEqualTo("HIT");
			assertThat(varyNames(hit.getResponseHeaders().get(HttpHeaders.VARY))).containsOnlyOnce("accept-encoding");
		}
		assertThat(loads()).isEqualTo(loads);
		assertThat(compressions()).isEqualTo(compressions);
	}

	@Test
	void everyCodingsEtagRevalidatesWithTheNegotiatedOne() {
		String etag = get(PAGE, null, null).getResponseHeaders().getETag();
		double loads = loads();
		long compressions = compressions();
		String[] etags = { etag, withSuffix(etag, "-gz"), withSuffix(etag, "-br") };
		String[] codings = { "identity", "gzip", "br" };
		for (String sent : etags) {
			for (int i = 0; i < codings.length; i++) {
				EntityExchangeResult<byte[]> answer = get(PAGE, codings[i], sent);
				assertThat(answer.getStatus()).isEqualTo(HttpStatus.NOT_MODIFIED);
				assertThat(answer.getResponseHeaders().getETag()).isEqualTo(etags[i]);
				assertThat(answer.getResponseHeaders().getFirst(HttpHeaders.CONTENT_ENCODING)).isNull();
				assertThat(answer.getResponseHeaders().getVary()).contains("Accept-Encoding");
				assertThat(answer.getResponseBody()).isNullOrEmpty();
			}
		}
		EntityExchangeResult<byte[]> changed = get(PAGE, "gzip", withSuffix(etag.replace("\"", "\"x"), "-gz"));
		assertThat(changed.getStatus()).isEqualTo(HttpStatus.OK);
		assertThat(changed.getResponseHeaders().getFirst(HttpHeaders.CONTENT_ENCODING)).isEqualTo("gzip");
		assertThat(loads()).isEqualTo(loads);
		assertThat(compressions()).isEqualTo(compressions);
	}

	@Test
	void smallAnswersAreStoredAndSentInIdentityOnly() {
		long compressions = compressions();
		EntityExchangeResult<byte[]> stats = get("/api/v1/stats", "br, gzip", null);
		assertThat(stats.getResponseBody().length).isLessThan(1024);
		assertThat(stats.getResponseHeaders().getFirst(HttpHeaders.CONTENT_ENCODING)).isNull();
		assertThat(stats.getResponseHeaders().getETag()).doesNotContain("-gz", "-br");
		assertThat(stats.getResponseHeaders().getVary()).contains("Accept-Encoding");
		assertThat(new String(stats.getResponseBody(), StandardCharsets.UTF_8)).startsWith("{");
		assertThat(compressions()).isEqualTo(compressions);
	}

	@Test
	void acceptEncodingIsAddedOnceToTheVaryAFilterSet() {
		get(PAGE, null, null);
		assertThat(varyNames(vary("Origin"))).containsOnlyOnce("accept-encoding", "origin");
		assertThat(varyNames(vary("Accept, Accept-Encoding, Origin"))).containsOnlyOnce("accept", "accept-encoding",
				"origin");
		assertThat(varyNames(vary("accept-encoding"))).containsOnlyOnce("accept-encoding");
	}

	/** Every name the Vary header lines list, in lower case, repeats kept. */
	private static List<String> varyNames(@Nullable List<String> lines) {
		return (lines != null) ? lines.stream()
			.flatMap((line) -> Arrays.stream(line.split(",")))
			.map((name) -> name.strip().toLowerCase(Locale.ROOT))
			.filter((name) -> !name.isEmpty())
			.toList() : List.of();
	}

	private List<String> vary(String preset) {
		return this.http.get()
			.uri(PAGE)
			.header(HttpHeaders.ACCEPT_ENCODING, "gzip")
			.header(PRESET_VARY, preset)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-Cache", "HIT")
			.returnResult(byte[].class)
			.getResponseHeaders()
			.get(HttpHeaders.VARY);
	}

	@Test
	void aClientThatRefusesEverythingGetsIdentity() {
		EntityExchangeResult<byte[]> answer = get(PAGE, "identity;q=0, *;q=0", null);
		assertThat(answer.getStatus()).isEqualTo(HttpStatus.OK);
		assertThat(answer.getResponseHeaders().getFirst(HttpHeaders.CONTENT_ENCODING)).isNull();
		assertThat(new String(answer.getResponseBody(), StandardCharsets.UTF_8)).startsWith("{");
	}

	private EntityExchangeResult<byte[]> get(String path, @Nullable String acceptEncoding,
			@Nullable String ifNoneMatch) {
		return this.http.get().uri(path).headers((headers) -> {
			if (acceptEncoding != null) {
				headers.set(HttpHeaders.ACCEPT_ENCODING, acceptEncoding);
			}
			if (ifNoneMatch != null) {
				headers.setIfNoneMatch(ifNoneMatch);
			}
		}).exchange().expectBody(byte[].class).returnResult();
	}

	/** A client of the service that sends only the headers it is given and leaves bodies as they come. */
	static WebTestClient raw(Environment environment) {
		return WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.create()))
			.baseUrl("http://localhost:" + environment.getRequiredProperty("local.server.port"))
			.build();
	}

	private double loads() {
		return this.registry.get("catalog.cache.loads").counter().count();
	}

	private long compressions() {
		return this.registry.get("catalog.cache.compressions")
			.timers()
			.stream()
			.mapToLong((timer) -> timer.count())
			.sum();
	}

	private static String withSuffix(String etag, String suffix) {
		return etag.substring(0, etag.length() - 1) + suffix + "\"";
	}

	static byte[] gunzip(byte[] gzipped) {
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped))) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static byte[] unbrotli(byte[] compressed) {
		try {
			return Decoder.decompress(compressed).getDecompressedData();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** What a CORS filter does before the handlers run: sets the answer's {@code Vary}. */
	@TestConfiguration(proxyBeanMethods = false)
	static class PresetVary {

		@Bean
		WebFilter presetVary() {
			return (exchange, chain) -> {
				String vary = exchange.getRequest().getHeaders().getFirst(PRESET_VARY);
				if (vary != null) {
					exchange.getResponse().getHeaders().set(HttpHeaders.VARY, vary);
				}
				return chain.filter(exchange);
			};
		}

	}

}
