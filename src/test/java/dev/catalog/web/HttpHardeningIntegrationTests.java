package dev.catalog.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import dev.catalog.CatalogApplication;
import dev.catalog.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slow clients, oversized request heads, security headers and token rotation, against the
 * whole service on a real socket. Timeouts are short here (1 s for a head, 2 s idle) so that their bounds can be
 * asserted: never before the timeout, and within the timeout plus a scheduling margin.
 */
@ExtendWith(TestServers.class)
class HttpHardeningIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(1);

	private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(2);

	/** What a busy 2-core machine may add to a timer. */
	private static final Duration MARGIN = Duration.ofSeconds(3);

	@TempDir
	static Path dir;

	private static Path tokenFile;

	private static ConfigurableApplicationContext service;

	private static int port;

	@BeforeAll
	static void start() throws IOException {
		tokenFile = dir.resolve("tokens");
		Files.writeString(tokenFile, "first-token-from-file\n");
		service = new SpringApplicationBuilder(CatalogApplication.class).profiles("test")
			.run("--server.port=0", "--catalog.http.header-timeout=" + HEADER_TIMEOUT.toMillis() + "ms",
					"--server.netty.idle-timeout=" + IDLE_TIMEOUT.toMillis() + "ms",
					"--catalog.api-tokens-file=" + tokenFile);
		port = service.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	@AfterAll
	static void stop() {
		if (service != null) {
			service.close();
		}
	}

	record Raw(String head, String body, Duration elapsed) {

	}

	/** Sends {@code request} (a byte every {@code pause} if not null) and reads until the server closes. */
	private static Raw raw(byte[] request, Duration pause) throws IOException {
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout((int) TIMEOUT.toMillis());
			long started = System.nanoTime();
			OutputStream out = socket.getOutputStream();
			try {
				if (pause == null) {
					out.write(request);
				}
				else {
					for (byte b : request) {
						out.write(b);
						out.flush();
						Thread.sleep(pause.toMillis());
					}
				}
			}
			catch (IOException | InterruptedException ex) {
				// the server closed the connection while the request was being sent: read its answer
			}
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			InputStream in = socket.getInputStream();
			byte[] buffer = new byte[8192];
			try {
				for (int n; (n = in.read(buffer)) > 0;) {
					answer.write(buffer, 0, n);
				}
			}
			catch (IOException ex) {
				// reset after the answer
			}
			String text = answer.toString(StandardCharsets.UTF_8);
			int end = text.indexOf("\r\n\r\n");
			return new Raw((end < 0) ? text : text.substring(0, end), (end < 0) ? "" : text.substring(end + 4),
					Duration.ofNanos(System.nanoTime() - started));
		}
	}

	@Test
	void aRequestLineOverTheLimitIsA414Problem() throws IOException {
		Raw answer = raw(("GET /api/v1/artifacts?q=" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII), null);
		assertThat(answer.head()).startsWith("HTTP/1.1 414").containsIgnoringCase("content-type: application/problem+json");
		assertThat(answer.body()).contains("\"status\":414").contains("/problems/uri-too-long");
	}

	@Test
	void headersOverTheLimitAreA431Problem() throws IOException {
		Raw answer = raw(("GET /api/v1/stats HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII), null);
		assertThat(answer.head()).startsWith("HTTP/1.1 431").containsIgnoringCase("content-type: application/problem+json");
		assertThat(answer.body()).contains("\"status\":431").contains("/problems/request-header-fields-too-large");
	}

	@Test
	void aHeadThatIsNotHttpIsA400Problem() throws IOException {
		Raw answer = raw("NOT HTTP AT ALL\r\n\r\n".getBytes(StandardCharsets.US_ASCII), null);
		assertThat(answer.head()).startsWith("HTTP/1.1 400").containsIgnoringCase("content-type: application/problem+json");
		assertThat(answer.body()).contains("\"status\":400");
	}

	@Test
	void headersTrickledAByteAtATimeAreCutWith408AfterTheHeaderTimeout() throws IOException {
		byte[] slow = "GET /api/v1/stats HTTP/1.1\r\nHost: x\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n\r\n"
			.getBytes(StandardCharsets.US_ASCII);
		Raw answer = raw(slow, Duration.ofMillis(100));
		assertThat(answer.head()).startsWith("HTTP/1.1 408").containsIgnoringCase("content-type: application/problem+json");
		assertThat(answer.body()).contains("/problems/request-timeout");
		assertThat(answer.elapsed()).isGreaterThanOrEqualTo(HEADER_TIMEOUT).isLessThan(HEADER_TIMEOUT.plus(MARGIN));
	}

	@Test
	void headersThatArriveInTimeAreServedOnTheSameConnectionAgainAndAgain() throws IOException {
		// two requests on one keep-alive connection, the second sent more than the header
		// timeout after the first (but within the idle timeout): the deadline runs from a head's
		// first byte, not from the connection's start or the previous answer
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout((int) TIMEOUT.toMillis());
			for (int i = 0; i < 2; i++) {
				socket.getOutputStream()
					.write("GET /actuator/health/liveness HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				byte[] buffer = new byte[4096];
				int n = socket.getInputStream().read(buffer);
				assertThat(new String(buffer, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 200");
				sleep(HEADER_TIMEOUT.plusMillis(200));
			}
		}
	}

	@Test
	void anIdleConnectionIsClosedAfterTheIdleTimeout() throws IOException {
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout((int) TIMEOUT.toMillis());
			long started = System.nanoTime();
			int read;
			try {
				read = socket.getInputStream().read();
			}
			catch (SocketTimeoutException ex) {
				throw new AssertionError("an idle connection stayed open for " + TIMEOUT, ex);
			}
			catch (IOException ex) {
				read = -1;
			}
			Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
			assertThat(read).as("closed without an answer").isEqualTo(-1);
			assertThat(elapsed).isGreaterThanOrEqualTo(IDLE_TIMEOUT.minusMillis(50)).isLessThan(IDLE_TIMEOUT.plus(MARGIN));
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static HttpHeaders headersOf(HttpMethod method, String path, MediaType accept) {
		return WebClient.create("http://localhost:" + port)
			.method(method)
			.uri(path)
			.accept(accept)
			.exchangeToMono((response) -> response.releaseBody().thenReturn(response.headers().asHttpHeaders()))
			.block(TIMEOUT);
	}

	@Test
	void everyAnswerCarriesTheSecurityHeadersAndHtmlACspForPages() {
		List<HttpHeaders> answers = List.of(headersOf(HttpMethod.GET, "/api/v1/stats", MediaType.APPLICATION_JSON),
				headersOf(HttpMethod.GET, "/api/v1/artifacts/nope", MediaType.APPLICATION_JSON),
				headersOf(HttpMethod.GET, "/api/v1/stats", MediaType.IMAGE_PNG),
				headersOf(HttpMethod.GET, "/api/v1/artifacts", MediaType.parseMediaType("application/x-ndjson")),
				headersOf(HttpMethod.DELETE, "/api/v1/artifacts/nope", MediaType.ALL),
				headersOf(HttpMethod.GET, "/actuator/health", MediaType.ALL),
				headersOf(HttpMethod.GET, "/v3/api-docs", MediaType.APPLICATION_JSON),
				headersOf(HttpMethod.GET, "/no/such/page", MediaType.ALL));
		for (HttpHeaders headers : answers) {
			assertThat(headers.getFirst("X-Content-Type-Options")).as(headers.toString()).isEqualTo("nosniff");
			assertThat(headers.getFirst("Referrer-Policy")).isEqualTo("no-referrer");
			assertThat(headers.getFirst("Content-Security-Policy")).isEqualTo("default-src 'none'; frame-ancestors 'none'");
		}
		HttpHeaders page = headersOf(HttpMethod.GET, "/swagger-ui/index.html", MediaType.TEXT_HTML);
		assertThat(page.getContentType().isCompatibleWith(MediaType.TEXT_HTML)).isTrue();
		assertThat(page.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
		assertThat(page.getFirst("Content-Security-Policy")).startsWith("default-src 'self';")
			.contains("frame-ancestors 'none'");
	}

	private static int write(String token) {
		return WebClient.create("http://localhost:" + port)
			.post()
			.uri("/api/v1/collections")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{}")
			.exchangeToMono((response) -> response.releaseBody().then(Mono.just(response.statusCode().value())))
			.block(TIMEOUT);
	}

	@Test
	void tokensRotateByRewritingTheTokenFileWithoutARestart() throws IOException {
		// 422: authorised, and refused for its empty body, so nothing is written
		assertThat(write("first-token-from-file")).isEqualTo(422);
		assertThat(write("second-token-from-file")).isEqualTo(401);
		Path next = dir.resolve("tokens.next");
		Files.writeString(next, "# rotated\nsecond-token-from-file\n");
		Files.move(next, tokenFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		await().atMost(Duration.ofSeconds(10)).until(() -> write("second-token-from-file") == 422);
		assertThat(write("first-token-from-file")).isEqualTo(401);
	}

}
