package dev.catalog.contract;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Supplier;

import dev.catalog.TestCatalog;
import dev.catalog.WriteIntegrationTest;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated malformed and boundary requests across every route: {@value #REQUESTS} of them, from
 * a seeded random source (the seed is printed; {@code -Dfuzz.seed=...} replays a run), mixing
 * path ids (real, unknown, malformed), paging and filter parameters at and past their bounds,
 * forged cursors, odd {@code Accept}, {@code Content-Type}, {@code If-None-Match} and
 * {@code Last-Event-ID} headers, missing and wrong tokens, and bodies that are truncated, of the
 * wrong types, over and at their length limits, with unknown fields, deeply nested, or not
 * UTF-8. What must hold for every one: no 5xx; every error is problem+json whose {@code status}
 * is the answer's; and the catalog's rows (a checksum over every table) are unchanged across
 * each group of requests of which no write was accepted.
 * <p>
 * The generator is this project's own (jqwik 1.10.1's engine prints a notice asking AI agents
 * not to use it, so it is not used here); the independent checks of the document are Spectral's
 * and Prism's ({@link ContractIntegrationTests}).
 */
@WriteIntegrationTest
class FuzzIntegrationTests {

	static final int REQUESTS = 10_000;

	private static final int GROUP = 25;

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	/** Far longer than any answer here takes: a request not answered by then hangs. */
	private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String CHECKSUM = """
			SELECT md5(coalesce(string_agg(row, '|' ORDER BY row), '')) FROM (
			  SELECT a::text AS row FROM artifacts a UNION ALL SELECT t::text FROM artifact_tags t
			  UNION ALL SELECT v::text FROM artifact_versions v UNION ALL SELECT c::text FROM collections c
			  UNION ALL SELECT m::text FROM collection_artifacts m) rows""";

	@LocalServerPort
	int port;

	@Autowired
	TestCatalog catalog;

	/** One generated request. */
	record Request(HttpMethod method, String uri, Map<String, String> headers, byte[] body) {

		boolean write() {
			return !HttpMethod.GET.equals(this.method) && !HttpMethod.HEAD.equals(this.method)
					&& !HttpMethod.OPTIONS.equals(this.method);
		}

		@Override
		public String toString() {
			return this.method + " " + this.uri + " " + this.headers + " "
					+ new String(this.body, 0, Math.min(this.body.length, 300), StandardCharsets.UTF_8);
		}

	}

	record Answer(Request request, int status, String contentType, String body) {

	}

	@Test
	void tenThousandMalformedAndBoundaryRequestsGetNo5xxOnlyProblemsAndChangeNothingWhenRefused() {
		long seed = Long.getLong("fuzz.seed", System.nanoTime());
		System.out.println("Fuzz seed: " + seed + " (replay with -Dfuzz.seed=" + seed + ")");
		this.catalog.reset();
		this.catalog.seed(40, 5);
		List<String> artifacts = this.catalog.database()
			.sql("SELECT id::text AS id FROM artifacts")
			.map((row) -> row.get("id", String.class))
			.all()
			.collectList()
			.block(TIMEOUT);
		List<String> collections = this.catalog.database()
			.sql("SELECT id::text AS id FROM collections")
			.map((row) -> row.get("id", String.class))
			.all()
			.collectList()
			.block(TIMEOUT);
		Generator generator = new Generator(new Random(seed), artifacts, collections);
		// a connection per request: with a pooled client, a few requests in 10,000 (5 to 12 in
		// three runs) got no answer within 10 s; which side leaves a reused connection hanging
		// is not settled yet, and it is not what this test is about
		HttpClient http = HttpClient.newConnection();
		Map<Integer, Integer> statuses = new TreeMap<>();
		List<String> failures = new ArrayList<>();
		int groupsChecked = 0;
		int acceptedWrites = 0;
		String before = checksum();
		long started = System.nanoTime();
		int requests = Integer.getInteger("fuzz.requests", REQUESTS);
		for (int sent = 0; sent < requests; sent += GROUP) {
			List<Request> group = new ArrayList<>();
			for (int i = 0; i < GROUP; i++) {
				group.add(generator.next());
			}
			List<Answer> answers = Flux.fromIterable(group).flatMap((request) -> send(http, "http://localhost:" + this.port, request), 8).collectList()
				.block(TIMEOUT);
			boolean anyWriteAccepted = false;
			for (Answer answer : answers) {
				statuses.merge(answer.status(), 1, Integer::sum);
				String wrong = wrong(answer);
				if (wrong != null && failures.size() < 20) {
					failures.add(wrong + ": " + answer.request() + " -> " + answer.status() + " " + answer.contentType()
							+ " " + answer.body().substring(0, Math.min(300, answer.body().length())));
				}
				if (answer.request().write() && answer.status() < 300) {
					anyWriteAccepted = true;
					acceptedWrites++;
				}
			}
			String after = checksum();
			if (!anyWriteAccepted) {
				groupsChecked++;
				if (!after.equals(before) && failures.size() < 20) {
					failures.add("rows changed in a group of requests none of which was accepted: " + group);
				}
			}
			before = after;
		}
		double seconds = (System.nanoTime() - started) / 1e9;
		System.out.printf("Fuzz: %d requests in %.1f s, statuses %s, %d writes accepted, rows compared across %d of %d "
				+ "groups with none accepted%n", requests, seconds, statuses, acceptedWrites, groupsChecked,
				requests / GROUP);
		assertThat(failures).as("seed " + seed).isEmpty();
		assertThat(statuses.keySet()).as("statuses").allMatch((status) -> status > 0 && status < 500);
		assertThat(groupsChecked).as("groups whose rows could be compared").isGreaterThan(requests / GROUP / 4);
	}

	/**
	 * Sent with Reactor Netty's client rather than {@code WebClient}, which would refuse to send
	 * a malformed {@code Content-Type} or {@code Accept}.
	 */
	private static Mono<Answer> send(HttpClient http, String base, Request request) {
		return http.headers((headers) -> request.headers().forEach(headers::set))
			.request(io.netty.handler.codec.http.HttpMethod.valueOf(request.method().name()))
			.uri(base + request.uri())
			.send((out, outbound) -> (request.body().length > 0)
					? outbound.sendByteArray(Mono.just(request.body())) : outbound)
			.responseSingle((response, body) -> body.asString(StandardCharsets.UTF_8)
				.defaultIfEmpty("")
				.map((text) -> new Answer(request, response.status().code(),
						String.valueOf(response.responseHeaders().get(HttpHeaders.CONTENT_TYPE)), text)))
			.timeout(ANSWER_TIMEOUT)
			.onErrorResume((failure) -> Mono.just(new Answer(request, -1, "", failure.toString())));
	}

	/** What is wrong with an answer, or {@code null}. */
	private static String wrong(Answer answer) {
		if (answer.status() < 0) {
			return "no answer";
		}
		if (answer.status() >= 500) {
			return "server error";
		}
		if (answer.status() < 400) {
			return null;
		}
		if (!answer.contentType().startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE)) {
			return "error without problem+json";
		}
		if (HttpMethod.HEAD.equals(answer.request().method())) {
			return null;
		}
		try {
			JsonNode problem = json.readTree(answer.body());
			if (problem.path("status").asInt() != answer.status() || !problem.path("type").isString()
					|| !problem.path("title").isString()) {
				return "problem without its status, type or title";
			}
		}
		catch (RuntimeException ex) {
			return "problem body not JSON";
		}
		return null;
	}

	private String checksum() {
		return this.catalog.database().sql(CHECKSUM).map((row) -> row.get(0, String.class)).one().block(TIMEOUT);
	}

	/** The seeded source of requests. */
	static final class Generator {

		private static final String[] ODD = { "", " ", "0", "-1", "null", "true", "[]", "{}", "%", "%25", "../..",
				"' OR 1=1 --", "\u0000", "é", "😀", "\u202e", "<script>", "a".repeat(5000), "1e309", "NaN",
				"9223372036854775808", "-9223372036854775809", "00000000-0000-0000-0000-000000000000",
				"ffffffff-ffff-ffff-ffff-ffffffffffff", "0000000-0000-0000-0000-000000000000", "{id}" };

		private static final String[] ACCEPT = { "application/json", "application/x-ndjson", "text/event-stream",
				"*/*", "image/png", "application/json;q=0", "garbage", "a/b/c", "", "text/*", "application/*;q=0.5, */*;q=0.1",
				"application/problem+json", "application/json, text/event-stream;q=2" };

		private static final String[] CONTENT_TYPE = { "application/json", "application/json",
				"application/merge-patch+json", "text/plain", "application/xml", "application/json; charset=latin1",
				"multipart/form-data; boundary=x", "garbage", "application/x-www-form-urlencoded" };

		private final Random random;

		private final List<String> artifacts;

		private final List<String> collections;

		Generator(Random random, List<String> artifacts, List<String> collections) {
			this.random = random;
			this.artifacts = artifacts;
			this.collections = collections;
		}

		private <T> T pick(T[] values) {
			return values[this.random.nextInt(values.length)];
		}

		private <T> T pick(List<T> values) {
			return values.get(this.random.nextInt(values.size()));
		}

		private boolean chance(double p) {
			return this.random.nextDouble() < p;
		}

		private static String enc(String value) {
			return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
		}

		/** A real id (mostly), an unknown one, or something that is no id at all. */
		private String id(List<String> real, boolean realOften) {
			double r = this.random.nextDouble();
			if (r < (realOften ? 0.5 : 0.1)) {
				return pick(real);
			}
			if (r < 0.7) {
				return UUID.randomUUID().toString();
			}
			return enc(pick(ODD));
		}

		private String oddOr(Supplier<String> valid) {
			return chance(0.5) ? valid.get() : pick(ODD);
		}

		private String listQuery(boolean stream) {
			List<String> params = new ArrayList<>();
			if (chance(0.5)) {
				params.add("limit=" + enc(oddOr(() -> String.valueOf(pick(new Integer[] { -1, 0, 1, 2, 50, 199, 200, 201,
						1000, Integer.MAX_VALUE })))));
			}
			if (chance(0.3)) {
				params.add("cursor=" + enc(oddOr(() -> "eyJ" + Long.toHexString(this.random.nextLong()))));
			}
			if (chance(0.3)) {
				params.add("type=" + enc(oddOr(() -> pick(new String[] { "skill", "command", "agent", "mcp", "hook" }))));
			}
			for (int i = this.random.nextInt(3); i > 0; i--) {
				params.add("tag=" + enc(oddOr(() -> pick(new String[] { "ai", "sql", "x".repeat(50), "x".repeat(51) }))));
			}
			if (chance(0.3)) {
				params.add("q=" + enc(oddOr(() -> pick(new String[] { "a", "lint", "%_", "x".repeat(200), "x".repeat(201) }))));
			}
			if (chance(0.2)) {
				params.add("collection=" + id(this.collections, true));
			}
			if (chance(0.1)) {
				params.add(enc(pick(ODD)) + "=" + enc(pick(ODD)));
			}
			return params.isEmpty() ? "" : "?" + String.join("&", params);
		}

		private String string(int max) {
			double r = this.random.nextDouble();
			if (r < 0.2) {
				return "";
			}
			if (r < 0.35) {
				return "x".repeat(max);
			}
			if (r < 0.5) {
				return "x".repeat(max + 1);
			}
			if (r < 0.6) {
				return " ".repeat(3);
			}
			return "fuzz-" + Long.toHexString(this.random.nextLong()) + pick(new String[] { "", "é", "😀", "\\u0000", "\"" });
		}

		/** A JSON value: usually of the right type, often not. */
		private String value(String rightType, int max) {
			double r = this.random.nextDouble();
			if (r < 0.55) {
				return switch (rightType) {
					case "string" -> json.writeValueAsString(string(max));
					case "tags" -> {
						List<String> tags = new ArrayList<>();
						int n = pick(new Integer[] { 0, 1, 20, 21, 3 });
						for (int i = 0; i < n; i++) {
							tags.add(chance(0.9) ? "t" + this.random.nextInt(30) : string(50));
						}
						yield json.writeValueAsString(tags);
					}
					case "object" -> chance(0.7) ? "{\"k\":" + this.random.nextInt() + "}" : "{\"k\":{\"n\":null}}";
					case "ids" -> {
						List<String> ids = new ArrayList<>();
						int n = pick(new Integer[] { 0, 1, 2, 1000, 1001 });
						for (int i = 0; i < n; i++) {
							ids.add(chance(0.5) ? pick(this.artifacts) : (chance(0.8) ? UUID.randomUUID().toString() : pick(ODD)));
						}
						yield json.writeValueAsString(ids);
					}
					default -> "null";
				};
			}
			return pick(new String[] { "null", "1", "-1", "1.5e308", "true", "\"\"", "[]", "{}", "[[[[[[[[[[]]]]]]]]]]",
					"\"" + "y".repeat(10_000) + "\"", "[1,2,3]", "{\"a\":[{\"b\":{}}]}", "\"\\ud800\"" });
		}

		private byte[] body(Map<String, String> fields) {
			double r = this.random.nextDouble();
			if (r < 0.05) {
				return new byte[0];
			}
			if (r < 0.1) {
				return new byte[] { (byte) 0xC3, (byte) 0x28, '{', '}' };
			}
			if (r < 0.15) {
				return "[".repeat(5000).getBytes(StandardCharsets.UTF_8);
			}
			if (r < 0.2) {
				return pick(new String[] { "{", "{\"name\":", "null", "[]", "\"text\"", "{\"a\":1,}", "{'a':1}" })
					.getBytes(StandardCharsets.UTF_8);
			}
			StringBuilder object = new StringBuilder("{");
			fields.forEach((name, type) -> {
				if (chance(0.8)) {
					if (object.length() > 1) {
						object.append(',');
					}
					object.append('"').append(name).append("\":").append(value(type, type.equals("name") ? 200 : 4000));
				}
			});
			if (chance(0.15)) {
				object.append(object.length() > 1 ? "," : "").append("\"unknownField\":1");
			}
			return object.append('}').toString().getBytes(StandardCharsets.UTF_8);
		}

		Request next() {
			Map<String, String> headers = new TreeMap<>();
			if (chance(0.8)) {
				headers.put(HttpHeaders.ACCEPT, pick(ACCEPT));
			}
			double token = this.random.nextDouble();
			if (token < 0.75) {
				headers.put(HttpHeaders.AUTHORIZATION, "Bearer " + WriteIntegrationTest.TOKEN);
			}
			else if (token < 0.85) {
				headers.put(HttpHeaders.AUTHORIZATION, pick(new String[] { "Bearer ", "Bearer wrong", "Basic YTpi", "bearer" }));
			}
			if (chance(0.1)) {
				headers.put(HttpHeaders.IF_NONE_MATCH, pick(new String[] { "*", "\"x\"", "W/\"x\"", "garbage", "\"\"" }));
			}
			if (chance(0.05)) {
				headers.put("Last-Event-ID", pick(ODD).replaceAll("[\\x00-\\x1f\\u007f-\\uffff]", "?"));
			}
			String artifact = id(this.artifacts, true);
			String collection = id(this.collections, true);
			int route = this.random.nextInt(19);
			HttpMethod method;
			String uri;
			byte[] body = new byte[0];
			switch (route) {
				case 0, 1 -> {
					method = HttpMethod.GET;
					uri = "/api/v1/artifacts" + listQuery(false);
				}
				case 2 -> {
					method = HttpMethod.GET;
					uri = "/api/v1/artifacts/facets" + listQuery(false);
				}
				case 3 -> {
					method = HttpMethod.GET;
					uri = "/api/v1/artifacts/" + artifact;
				}
				case 4 -> {
					method = HttpMethod.POST;
					uri = "/api/v1/artifacts";
					body = body(Map.of("name", "string", "type", "string", "description", "string", "tags", "tags",
							"metadata", "object"));
				}
				case 5 -> {
					method = HttpMethod.PATCH;
					uri = "/api/v1/artifacts/" + artifact;
					body = body(Map.of("name", "string", "description", "string", "tags", "tags", "metadata", "object"));
				}
				case 6 -> {
					method = HttpMethod.DELETE;
					uri = "/api/v1/artifacts/" + id(this.artifacts, false);
				}
				case 7 -> {
					method = HttpMethod.POST;
					uri = "/api/v1/artifacts/" + artifact + "/versions";
					body = body(Map.of("version", "string", "changelog", "string", "releasedAt", "string"));
				}
				case 8 -> {
					method = HttpMethod.GET;
					uri = "/api/v1/collections" + listQuery(false);
				}
				case 9 -> {
					method = HttpMethod.POST;
					uri = "/api/v1/collections";
					body = body(Map.of("name", "string", "description", "string"));
				}
				case 10 -> {
					method = HttpMethod.GET;
					uri = "/api/v1/collections/" + collection;
				}
				case 11 -> {
					method = HttpMethod.PATCH;
					uri = "/api/v1/collections/" + collection;
					body = body(Map.of("name", "string", "description", "string"));
				}
				case 12 -> {
					method = HttpMethod.DELETE;
					uri = "/api/v1/collections/" + id(this.collections, false);
				}
				case 13 -> {
					method = HttpMethod.GET;
					uri = "/api/v1/collections/" + collection + "/artifacts" + listQuery(true);
				}
				case 14 -> {
					method = chance(0.5) ? HttpMethod.PUT : HttpMethod.DELETE;
					uri = "/api/v1/collections/" + collection + "/artifacts/" + artifact;
				}
				case 15 -> {
					method = HttpMethod.POST;
					uri = "/api/v1/collections/" + collection + "/memberships";
					body = body(Map.of("add", "ids", "remove", "ids"));
				}
				case 16 -> {
					method = HttpMethod.GET;
					uri = "/api/v1/stats" + (chance(0.2) ? "?" + enc(pick(ODD)) + "=1" : "");
				}
				case 17 -> {
					// a method a route does not have, HEAD and OPTIONS
					method = pick(new HttpMethod[] { HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE, HttpMethod.POST,
							HttpMethod.HEAD, HttpMethod.OPTIONS, HttpMethod.valueOf("TRACE") });
					uri = pick(new String[] { "/api/v1/stats", "/api/v1/artifacts/facets", "/api/v1/collections/" + collection
							+ "/artifacts" });
				}
				default -> {
					method = pick(new HttpMethod[] { HttpMethod.GET, HttpMethod.POST, HttpMethod.DELETE });
					uri = pick(new String[] { "/api/v1/", "/api/v2/artifacts", "/api/v1/artifacts/" + artifact + "/nope",
							"/api/v1/collections/" + collection + "/artifacts/" + artifact + "/x", "/api//v1/stats",
							"/api/v1/artifacts/%2e%2e/stats", "/api/v1/" + enc(pick(ODD)) });
				}
			}
			if (body.length > 0 || (method != HttpMethod.GET && chance(0.3))) {
				headers.put(HttpHeaders.CONTENT_TYPE, pick(CONTENT_TYPE));
			}
			return new Request(method, uri, headers, body);
		}

	}

}
