package dev.catalog.contract;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.catalog.NpmTools;
import dev.catalog.TestCatalog;
import dev.catalog.WriteIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The OpenAPI document checked by tools nobody here wrote: linted by Stoplight Spectral (zero
 * errors under its {@code spectral:oas} ruleset), and every request of a tour of the API, every
 * route with its successes and its errors, sent through Stoplight Prism's validation proxy in
 * front of the running service: Prism compares each request and each real answer with the
 * document and names every mismatch in an {@code sl-violations} header. No answer may have a
 * violation; a request may only where it is wrong on purpose (the service's 400s). Skipped,
 * saying why, where node and npm are missing (see {@link NpmTools}).
 */
@WriteIntegrationTest
class ContractIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Path WORK = Path.of("target", "contract").toAbsolutePath();

	@LocalServerPort
	int port;

	@Autowired
	TestCatalog catalog;

	@BeforeEach
	void seed() {
		this.catalog.reset();
		this.catalog.seed(30, 4);
	}

	private Path document() throws IOException {
		Files.createDirectories(WORK);
		String document = WebClient.create("http://localhost:" + this.port)
			.get()
			.uri("/v3/api-docs")
			.retrieve()
			.bodyToMono(String.class)
			.block(TIMEOUT);
		Path file = WORK.resolve("api-docs.json");
		Files.writeString(file, document);
		return file;
	}

	@Test
	void spectralFindsNoErrorInTheOpenApiDocument() throws Exception {
		Path spectral = NpmTools.bin("spectral");
		Path document = document();
		Files.writeString(WORK.resolve(".spectral.yaml"), "extends: [\"spectral:oas\"]\n");
		Path report = WORK.resolve("spectral.json");
		Files.deleteIfExists(report);
		NpmTools.run(Duration.ofMinutes(3), WORK, spectral.toString(), "lint", "--ruleset", ".spectral.yaml",
				"--format", "json", "--output", report.toString(), "--fail-severity", "error", document.toString());
		assertThat(report).as("Spectral's report").exists();
		String out = Files.readString(report).strip();
		JsonNode results = json.readTree(out.isEmpty() ? "[]" : out);
		List<String> errors = new ArrayList<>();
		int warnings = 0;
		for (JsonNode result : results) {
			if (result.get("severity").asInt() == 0) {
				errors.add(result.get("code").asString() + " at " + result.get("path") + ": "
						+ result.get("message").asString());
			}
			else {
				warnings++;
			}
		}
		System.out.println("Spectral (spectral:oas): " + errors.size() + " errors, " + warnings + " warnings and hints");
		assertThat(errors).as("Spectral errors").isEmpty();
	}

	/** One request of the tour and what Prism said of it. */
	record Exchange(String request, int status, String violations) {

	}

	@Test
	void everyRequestAndAnswerOfATourOfTheApiMatchesTheDocumentInPrism() throws Exception {
		Path prism = NpmTools.bin("prism");
		Path document = document();
		int prismPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			prismPort = socket.getLocalPort();
		}
		Process proxy = new ProcessBuilder(prism.toString(), "proxy", document.toString(),
				"http://127.0.0.1:" + this.port, "--host", "127.0.0.1", "--port", Integer.toString(prismPort))
			.redirectErrorStream(true)
			.redirectOutput(WORK.resolve("prism.log").toFile())
			.start();
		try {
			WebClient http = WebClient.create("http://127.0.0.1:" + prismPort);
			await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(
					() -> http.get().uri("/api/v1/stats").retrieve().toBodilessEntity().block(TIMEOUT) != null);
			List<Exchange> exchanges = new Tour(http).run();
			List<Exchange> answersWrong = exchanges.stream()
				.filter((exchange) -> exchange.violations().contains("\"response\""))
				.toList();
			List<Exchange> requestsWrongUnexpectedly = exchanges.stream()
				.filter((exchange) -> exchange.violations().contains("\"request\"") && exchange.status() != 400
						&& exchange.status() != 401 && exchange.status() != 415 && exchange.status() != 422)
				.toList();
			System.out.println("Prism: " + exchanges.size() + " requests, " + answersWrong.size()
					+ " answers not matching the document");
			assertThat(answersWrong).as("answers that do not match the document").isEmpty();
			assertThat(requestsWrongUnexpectedly).as("requests Prism finds wrong that the service accepted").isEmpty();
			assertThat(exchanges).hasSizeGreaterThanOrEqualTo(40);
		}
		finally {
			proxy.destroy();
			if (!proxy.waitFor(10, TimeUnit.SECONDS)) {
				proxy.destroyForcibly();
			}
		}
	}

	/** Every route, its successes and its errors, as a client would meet them. */
	private static final class Tour {

		private final WebClient http;

		private final List<Exchange> exchanges = new ArrayList<>();

		Tour(WebClient http) {
			this.http = http;
		}

		private JsonNode send(HttpMethod method, String uri, MediaType accept, String token, MediaType type,
				String body, Map<String, String> headers) {
			WebClient.RequestBodySpec spec = this.http.method(method).uri(uri).accept(accept);
			if (token != null) {
				spec.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
			}
			headers.forEach(spec::header);
			if (body != null) {
				spec.contentType(type).bodyValue(body);
			}
			Exchange[] exchange = new Exchange[1];
			String answer = spec.exchangeToMono((response) -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.doOnNext((text) -> exchange[0] = new Exchange(method + " " + uri, response.statusCode().value(),
						String.valueOf(response.headers().asHttpHeaders().getFirst("sl-violations")))))
				.block(TIMEOUT);
			this.exchanges.add(exchange[0]);
			boolean isJson = answer != null && (answer.startsWith("{") || answer.startsWith("["));
			return isJson ? json.readTree(answer) : json.nullNode();
		}

		private JsonNode get(String uri) {
			return send(HttpMethod.GET, uri, MediaType.APPLICATION_JSON, null, null, null, Map.of());
		}

		private JsonNode write(HttpMethod method, String uri, String body) {
			return send(method, uri, MediaType.APPLICATION_JSON, WriteIntegrationTest.TOKEN,
					MediaType.APPLICATION_JSON, body, Map.of());
		}

		List<Exchange> run() {
			JsonNode page = get("/api/v1/artifacts?limit=2");
			String artifact = page.get("items").get(0).get("id").asString();
			String cursor = page.get("nextCursor").asString();
			get("/api/v1/artifacts?limit=2&cursor=" + cursor);
			get("/api/v1/artifacts?type=skill&tag=ai&q=a");
			get("/api/v1/artifacts/facets");
			get("/api/v1/artifacts/facets?type=agent");
			get("/api/v1/artifacts/" + artifact);
			get("/api/v1/artifacts/" + UUID.randomUUID());
			get("/api/v1/artifacts/not-an-id");
			get("/api/v1/artifacts?limit=0");
			get("/api/v1/artifacts?limit=201");
			get("/api/v1/artifacts?type=nonsense");
			get("/api/v1/artifacts?cursor=forged");
			send(HttpMethod.GET, "/api/v1/artifacts", MediaType.IMAGE_PNG, null, null, null, Map.of());
			JsonNode collections = get("/api/v1/collections");
			String collection = collections.get("items").get(0).get("id").asString();
			get("/api/v1/collections?limit=1");
			get("/api/v1/collections/" + collection);
			get("/api/v1/collections/" + UUID.randomUUID());
			get("/api/v1/collections/" + collection + "/artifacts?limit=3");
			get("/api/v1/collections/" + UUID.randomUUID() + "/artifacts");
			get("/api/v1/stats");
			send(HttpMethod.GET, "/api/v1/stats", MediaType.APPLICATION_JSON, null, null, null,
					Map.of(HttpHeaders.IF_NONE_MATCH, "\"not-the-etag\""));
			// writes
			JsonNode created = write(HttpMethod.POST, "/api/v1/artifacts",
					"{\"name\":\"contract-linter\",\"type\":\"skill\",\"description\":\"Lints\",\"tags\":[\"sql\"],"
							+ "\"metadata\":{\"license\":\"MIT\"}}");
			String id = created.get("id").asString();
			write(HttpMethod.POST, "/api/v1/artifacts", "{\"name\":\"\",\"type\":\"nope\"}");
			write(HttpMethod.POST, "/api/v1/artifacts", "{\"name\":");
			send(HttpMethod.POST, "/api/v1/artifacts", MediaType.APPLICATION_JSON, null, MediaType.APPLICATION_JSON,
					"{\"name\":\"x\",\"type\":\"skill\"}", Map.of());
			send(HttpMethod.POST, "/api/v1/artifacts", MediaType.APPLICATION_JSON, WriteIntegrationTest.TOKEN,
					MediaType.TEXT_PLAIN, "name", Map.of());
			send(HttpMethod.PATCH, "/api/v1/artifacts/" + id, MediaType.APPLICATION_JSON, WriteIntegrationTest.TOKEN,
					MediaType.parseMediaType("application/merge-patch+json"), "{\"metadata\":{\"license\":null,\"stars\":5}}",
					Map.of());
			send(HttpMethod.PATCH, "/api/v1/artifacts/" + UUID.randomUUID(), MediaType.APPLICATION_JSON,
					WriteIntegrationTest.TOKEN, MediaType.parseMediaType("application/merge-patch+json"),
					"{\"description\":\"x\"}", Map.of());
			write(HttpMethod.POST, "/api/v1/artifacts/" + id + "/versions",
					"{\"version\":\"1.0.0\",\"changelog\":\"first\"}");
			write(HttpMethod.POST, "/api/v1/artifacts/" + id + "/versions", "{\"version\":\"\"}");
			get("/api/v1/artifacts/" + id);
			JsonNode newCollection = write(HttpMethod.POST, "/api/v1/collections",
					"{\"name\":\"Contract\",\"description\":\"for the tour\"}");
			String c = newCollection.get("id").asString();
			write(HttpMethod.POST, "/api/v1/collections", "{\"name\":\"contract\"}");
			send(HttpMethod.PATCH, "/api/v1/collections/" + c, MediaType.APPLICATION_JSON, WriteIntegrationTest.TOKEN,
					MediaType.parseMediaType("application/merge-patch+json"), "{\"description\":\"edited\"}", Map.of());
			write(HttpMethod.PUT, "/api/v1/collections/" + c + "/artifacts/" + id, null);
			write(HttpMethod.PUT, "/api/v1/collections/" + c + "/artifacts/" + UUID.randomUUID(), null);
			write(HttpMethod.POST, "/api/v1/collections/" + c + "/memberships",
					"{\"add\":[\"" + artifact + "\"],\"remove\":[\"" + id + "\"]}");
			write(HttpMethod.POST, "/api/v1/collections/" + c + "/memberships",
					"{\"add\":[\"" + UUID.randomUUID() + "\"]}");
			get("/api/v1/collections/" + c + "/artifacts");
			write(HttpMethod.DELETE, "/api/v1/collections/" + c + "/artifacts/" + artifact, null);
			write(HttpMethod.DELETE, "/api/v1/collections/" + c, null);
			write(HttpMethod.DELETE, "/api/v1/collections/" + c, null);
			write(HttpMethod.DELETE, "/api/v1/artifacts/" + id, null);
			write(HttpMethod.DELETE, "/api/v1/artifacts/" + id, null);
			return this.exchanges;
		}

	}

}
