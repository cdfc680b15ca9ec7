package dev.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

/**
 * Bad input to every write, table-driven: each case is answered with the expected status as
 * problem+json, and the database is exactly as it was (a digest of every catalog table).
 */
@WriteIntegrationTest
class BadWriteInputIntegrationTests {

	private static final String TOKEN = WriteIntegrationTest.TOKEN;

	private static final String JSON = MediaType.APPLICATION_JSON_VALUE;

	private static final String MERGE_PATCH = "application/merge-patch+json";

	/** Every row of every catalog table, in a stable order, hashed. */
	private static final String DIGEST = """
			SELECT md5(concat_ws('|',
			    (SELECT string_agg(x::text, ',' ORDER BY x.id) FROM artifacts x),
			    (SELECT string_agg(x::text, ',' ORDER BY x.artifact_id, x.tag) FROM artifact_tags x),
			    (SELECT string_agg(x::text, ',' ORDER BY x.artifact_id, x.version) FROM artifact_versions x),
			    (SELECT string_agg(x::text, ',' ORDER BY x.id) FROM collections x),
			    (SELECT string_agg(x::text, ',' ORDER BY x.collection_id, x.artifact_id) FROM collection_artifacts x)))
			""";

	@Autowired
	WebTestClient client;

	@Autowired
	TestCatalog catalog;

	String artifact;

	String collection;

	String member;

	@BeforeEach
	void seed() {
		this.catalog.reset();
		this.catalog.seed(20, 3);
		this.artifact = one("SELECT id::text FROM artifacts ORDER BY id LIMIT 1");
		this.collection = one("SELECT id::text FROM collections WHERE name = 'Hot picks'");
		this.member = one("SELECT artifact_id::text FROM collection_artifacts WHERE collection_id = '" + this.collection
				+ "' ORDER BY artifact_id LIMIT 1");
	}

	/**
	 * @param field a field the 422 must name, or {@code null}
	 */
	record Case(String name, HttpMethod method, String path, String contentType, String body, String token,
			int status, String field) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	static Stream<Case> badInputs() {
		List<Case> cases = new ArrayList<>();
		String valid = "{\"name\":\"ok\",\"type\":\"skill\"}";
		// the token
		cases.add(new Case("no token", HttpMethod.POST, "/api/v1/artifacts", JSON, valid, null, 401, null));
		cases.add(new Case("wrong token", HttpMethod.POST, "/api/v1/artifacts", JSON, valid, "Bearer nope", 401, null));
		cases.add(new Case("token of another scheme", HttpMethod.POST, "/api/v1/artifacts", JSON, valid,
				"Basic " + TOKEN, 401, null));
		cases.add(new Case("empty bearer token", HttpMethod.POST, "/api/v1/artifacts", JSON, valid, "Bearer ", 401, null));
		cases.add(new Case("token with a prefix of a valid one", HttpMethod.DELETE, "/api/v1/artifacts/{artifact}", null,
				null, "Bearer " + TOKEN.substring(0, 10), 401, null));
		cases.add(new Case("delete a collection without a token", HttpMethod.DELETE, "/api/v1/collections/{collection}",
				null, null, null, 401, null));
		cases.add(new Case("batch without a token", HttpMethod.POST, "/api/v1/collections/{collection}/memberships",
				JSON, "{\"remove\":[\"{member}\"]}", null, 401, null));
		// content type, size, syntax
		cases.add(new Case("text/plain body", HttpMethod.POST, "/api/v1/artifacts", "text/plain", valid, TOKEN, 415, null));
		cases.add(new Case("no content type", HttpMethod.POST, "/api/v1/collections", null, "{\"name\":\"x\"}", TOKEN,
				415, null));
		cases.add(new Case("xml patch", HttpMethod.PATCH, "/api/v1/artifacts/{artifact}", "application/xml",
				"<name>x</name>", TOKEN, 415, null));
		cases.add(new Case("merge patch type for a create", HttpMethod.POST, "/api/v1/artifacts", MERGE_PATCH, valid,
				TOKEN, 415, null));
		cases.add(new Case("missing body", HttpMethod.POST, "/api/v1/artifacts", JSON, null, TOKEN, 400, null));
		cases.add(new Case("whitespace body", HttpMethod.POST, "/api/v1/collections", JSON, " \n ", TOKEN, 400, null));
		cases.add(new Case("truncated JSON", HttpMethod.POST, "/api/v1/artifacts", JSON, "{\"name\":", TOKEN, 400, null));
		cases.add(new Case("trailing garbage", HttpMethod.POST, "/api/v1/artifacts", JSON, valid + " x", TOKEN, 400,
				null));
		cases.add(new Case("duplicate member", HttpMethod.POST, "/api/v1/artifacts", JSON,
				"{\"name\":\"a\",\"name\":\"b\",\"type\":\"skill\"}", TOKEN, 400, null));
		cases.add(new Case("single quotes", HttpMethod.POST, "/api/v1/collections", JSON, "{'name':'x'}", TOKEN, 400,
				null));
		cases.add(new Case("body over 1 MiB", HttpMethod.POST, "/api/v1/artifacts", JSON,
				"{\"name\":\"big\",\"type\":\"skill\",\"description\":\"" + "d".repeat(1024 * 1024) + "\"}", TOKEN, 413,
				null));
		// ids in the path
		cases.add(new Case("malformed artifact id", HttpMethod.PATCH, "/api/v1/artifacts/not-a-uuid", MERGE_PATCH,
				"{\"name\":\"x\"}", TOKEN, 400, null));
		cases.add(new Case("SQL in an id", HttpMethod.DELETE, "/api/v1/artifacts/1' OR '1'='1", null, null, TOKEN, 400,
				null));
		cases.add(new Case("malformed member id", HttpMethod.PUT, "/api/v1/collections/{collection}/artifacts/123",
				null, null, TOKEN, 400, null));
		cases.add(new Case("unknown artifact", HttpMethod.DELETE, "/api/v1/artifacts/{unknown}", null, null, TOKEN, 404,
				null));
		cases.add(new Case("patch of an unknown artifact", HttpMethod.PATCH, "/api/v1/artifacts/{unknown}", MERGE_PATCH,
				"{\"name\":\"x\"}", TOKEN, 404, null));
		cases.add(new Case("version of an unknown artifact", HttpMethod.POST, "/api/v1/artifacts/{unknown}/versions",
				JSON, "{\"version\":\"1.0.0\"}", TOKEN, 404, null));
		cases.add(new Case("unknown collection", HttpMethod.DELETE, "/api/v1/collections/{unknown}", null, null, TOKEN,
				404, null));
		cases.add(new Case("member of an unknown collection", HttpMethod.PUT,
				"/api/v1/collections/{unknown}/artifacts/{artifact}", null, null, TOKEN, 404, null));
		cases.add(new Case("unknown member", HttpMethod.PUT, "/api/v1/collections/{collection}/artifacts/{unknown}",
				null, null, TOKEN, 404, null));
		cases.add(new Case("removal of an unknown member", HttpMethod.DELETE,
				"/api/v1/collections/{collection}/artifacts/{unknown}", null, null, TOKEN, 404, null));
		cases.add(new Case("batch on an unknown collection", HttpMethod.POST,
				"/api/v1/collections/{unknown}/memberships", JSON, "{\"add\":[\"{artifact}\"]}", TOKEN, 404, null));
		// fields of a new artifact
		cases.add(new Case("body is an array", HttpMethod.POST, "/api/v1/artifacts", JSON, "[" + valid + "]", TOKEN, 422,
				""));
		cases.add(new Case("body is a string", HttpMethod.POST, "/api/v1/artifacts", JSON, "\"x\"", TOKEN, 422, ""));
		cases.add(artifact("name missing", "{\"type\":\"skill\"}", "name"));
		cases.add(artifact("name is a number", "{\"name\":5,\"type\":\"skill\"}", "name"));
		cases.add(artifact("name is an object", "{\"name\":{\"x\":1},\"type\":\"skill\"}", "name"));
		cases.add(artifact("name is empty", "{\"name\":\"\",\"type\":\"skill\"}", "name"));
		cases.add(artifact("name is blank", "{\"name\":\"   \",\"type\":\"skill\"}", "name"));
		cases.add(artifact("name over 200 characters", "{\"name\":\"" + "n".repeat(201) + "\",\"type\":\"skill\"}",
				"name"));
		cases.add(artifact("name of 201 emoji", "{\"name\":\"" + "\uD83D\uDE80".repeat(201) + "\",\"type\":\"skill\"}",
				"name"));
		cases.add(artifact("huge name", "{\"name\":\"" + "n".repeat(500_000) + "\",\"type\":\"skill\"}", "name"));
		cases.add(artifact("NUL in the name", "{\"name\":\"a\\u0000b\",\"type\":\"skill\"}", "name"));
		cases.add(artifact("newline in the name", "{\"name\":\"a\\nb\",\"type\":\"skill\"}", "name"));
		cases.add(artifact("unpaired surrogate", "{\"name\":\"a\\ud800b\",\"type\":\"skill\"}", "name"));
		cases.add(artifact("type unknown", "{\"name\":\"x\",\"type\":\"widget\"}", "type"));
		cases.add(artifact("type with SQL", "{\"name\":\"x\",\"type\":\"skill' OR '1'='1\"}", "type"));
		cases.add(artifact("type in another script", "{\"name\":\"x\",\"type\":\"ѕkill\"}", "type"));
		cases.add(artifact("type in capitals", "{\"name\":\"x\",\"type\":\"SKILL\"}", "type"));
		cases.add(artifact("type is a boolean", "{\"name\":\"x\",\"type\":true}", "type"));
		cases.add(artifact("description is a number", "{\"name\":\"x\",\"type\":\"skill\",\"description\":1}",
				"description"));
		cases.add(artifact("description over 4000 characters",
				"{\"name\":\"x\",\"type\":\"skill\",\"description\":\"" + "d".repeat(4001) + "\"}", "description"));
		cases.add(artifact("tags not an array", "{\"name\":\"x\",\"type\":\"skill\",\"tags\":\"ai\"}", "tags"));
		cases.add(artifact("too many tags", "{\"name\":\"x\",\"type\":\"skill\",\"tags\":["
				+ IntStream.range(0, 21).mapToObj((i) -> "\"t" + i + "\"").collect(Collectors.joining(",")) + "]}",
				"tags"));
		cases.add(artifact("tag over 50 characters",
				"{\"name\":\"x\",\"type\":\"skill\",\"tags\":[\"" + "t".repeat(51) + "\"]}", "tags[0]"));
		cases.add(artifact("empty tag", "{\"name\":\"x\",\"type\":\"skill\",\"tags\":[\"ok\",\"\"]}", "tags[1]"));
		cases.add(artifact("tag is a number", "{\"name\":\"x\",\"type\":\"skill\",\"tags\":[1]}", "tags[0]"));
		cases.add(artifact("metadata is an array", "{\"name\":\"x\",\"type\":\"skill\",\"metadata\":[1]}", "metadata"));
		cases.add(artifact("metadata is a string", "{\"name\":\"x\",\"type\":\"skill\",\"metadata\":\"{}\"}",
				"metadata"));
		cases.add(artifact("NUL inside metadata",
				"{\"name\":\"x\",\"type\":\"skill\",\"metadata\":{\"a\":[\"\\u0000\"]}}", "metadata.a[0]"));
		cases.add(artifact("NUL in a metadata key", "{\"name\":\"x\",\"type\":\"skill\",\"metadata\":{\"\\u0000\":1}}",
				"metadata"));
		cases.add(artifact("metadata number out of range",
				"{\"name\":\"x\",\"type\":\"skill\",\"metadata\":{\"n\":1e400000}}", "metadata.n"));
		cases.add(artifact("metadata nested 33 levels", "{\"name\":\"x\",\"type\":\"skill\",\"metadata\":"
				+ "{\"a\":".repeat(33) + "1" + "}".repeat(33) + "}", "metadata" + ".a".repeat(32)));
		cases.add(artifact("unknown field", "{\"name\":\"x\",\"type\":\"skill\",\"owner\":\"me\"}", "owner"));
		cases.add(artifact("id is not settable",
				"{\"id\":\"00000000-0000-0000-0000-000000000001\",\"name\":\"x\",\"type\":\"skill\"}", "id"));
		// patches
		cases.add(patch("name removed", "{\"name\":null}", "name"));
		cases.add(patch("type removed", "{\"type\":null}", "type"));
		cases.add(patch("type unknown in a patch", "{\"type\":\"plugin\"}", "type"));
		cases.add(patch("metadata replaced by a number", "{\"metadata\":5}", "metadata"));
		cases.add(patch("unknown field in a patch", "{\"versions\":[]}", "versions"));
		// versions
		cases.add(version("version missing", "{\"releasedAt\":\"2025-01-01T00:00:00Z\"}", "version"));
		cases.add(version("version empty", "{\"version\":\"\"}", "version"));
		cases.add(version("releasedAt not a time", "{\"version\":\"9.9.9\",\"releasedAt\":\"yesterday\"}",
				"releasedAt"));
		cases.add(version("releasedAt without offset", "{\"version\":\"9.9.9\",\"releasedAt\":\"2025-01-01T00:00:00\"}",
				"releasedAt"));
		cases.add(version("releasedAt beyond year 9999", "{\"version\":\"9.9.9\",\"releasedAt\":\"+10000-01-01T00:00:00Z\"}",
				"releasedAt"));
		cases.add(new Case("version already there", HttpMethod.POST, "/api/v1/artifacts/{artifact}/versions", JSON,
				"{\"version\":\"1.0.0\"}", TOKEN, 409, null));
		// collections
		cases.add(new Case("collection name taken", HttpMethod.POST, "/api/v1/collections", JSON,
				"{\"name\":\"Hot picks\"}", TOKEN, 409, null));
		cases.add(new Case("collection name taken in other case", HttpMethod.POST, "/api/v1/collections", JSON,
				"{\"name\":\"HOT PICKS\"}", TOKEN, 409, null));
		cases.add(new Case("collection name missing", HttpMethod.POST, "/api/v1/collections", JSON,
				"{\"description\":\"x\"}", TOKEN, 422, "name"));
		cases.add(new Case("collection with unknown field", HttpMethod.POST, "/api/v1/collections", JSON,
				"{\"name\":\"x\",\"artifactCount\":5}", TOKEN, 422, "artifactCount"));
		cases.add(new Case("collection renamed to null", HttpMethod.PATCH, "/api/v1/collections/{collection}",
				MERGE_PATCH, "{\"name\":null}", TOKEN, 422, "name"));
		// membership batches
		cases.add(batch("one unknown id", "{\"add\":[\"{artifact}\",\"{unknown}\"]}", "add[1]"));
		cases.add(batch("unknown id among removals", "{\"remove\":[\"{member}\",\"{unknown}\"]}", "remove[1]"));
		cases.add(batch("malformed id", "{\"add\":[\"{artifact}\",\"not-a-uuid\"]}", "add[1]"));
		cases.add(batch("SQL as an id", "{\"add\":[\"'); DELETE FROM collections; --\"]}", "add[0]"));
		cases.add(batch("id is a number", "{\"add\":[42]}", "add[0]"));
		cases.add(batch("duplicate id", "{\"add\":[\"{artifact}\",\"{artifact}\"]}", "add[1]"));
		cases.add(batch("id both added and removed", "{\"add\":[\"{member}\"],\"remove\":[\"{member}\"]}",
				"remove[0]"));
		cases.add(batch("add is not an array", "{\"add\":\"{artifact}\"}", "add"));
		cases.add(batch("no ids at all", "{}", "add"));
		cases.add(batch("empty lists", "{\"add\":[],\"remove\":[]}", "add"));
		cases.add(batch("over 1000 ids", "{\"add\":[" + IntStream.range(0, 1001)
			.mapToObj((i) -> "\"" + new UUID(0, i) + "\"")
			.collect(Collectors.joining(",")) + "]}", "add"));
		cases.add(batch("unknown field in a batch", "{\"add\":[\"{artifact}\"],\"replace\":true}", "replace"));
		return cases.stream();
	}

	private static Case artifact(String name, String body, String field) {
		return new Case(name, HttpMethod.POST, "/api/v1/artifacts", JSON, body, TOKEN, 422, field);
	}

	private static Case patch(String name, String body, String field) {
		return new Case(name, HttpMethod.PATCH, "/api/v1/artifacts/{artifact}", MERGE_PATCH, body, TOKEN, 422, field);
	}

	private static Case version(String name, String body, String field) {
		return new Case(name, HttpMethod.POST, "/api/v1/artifacts/{artifact}/versions", JSON, body, TOKEN, 422, field);
	}

	private static Case batch(String name, String body, String field) {
		return new Case(name, HttpMethod.POST, "/api/v1/collections/{collection}/memberships", JSON, body, TOKEN, 422,
				field);
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badInputs")
	void badInputIsRefusedWithProblemJsonAndChangesNothing(Case bad) {
		String before = digest();
		WebTestClient.RequestBodySpec request = this.client.method(bad.method())
			.uri((uri) -> uri.path(fill(bad.path())).build());
		if (bad.token() != null) {
			request.header(HttpHeaders.AUTHORIZATION, bad.token().contains(" ") ? bad.token() : "Bearer " + bad.token());
		}
		if (bad.contentType() != null) {
			request.header(HttpHeaders.CONTENT_TYPE, bad.contentType());
		}
		WebTestClient.ResponseSpec response = (bad.body() != null) ? request.bodyValue(fill(bad.body())).exchange()
				: request.exchange();
		WebTestClient.BodyContentSpec body = response.expectStatus()
			.isEqualTo(bad.status())
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(bad.status())
			.jsonPath("$.type").value(String.class, startsWith("https://"))
			.jsonPath("$.title").isNotEmpty()
			.jsonPath("$.detail").isNotEmpty();
		if (bad.field() != null) {
			body.jsonPath("$.errors[*].field").value(hasItem(bad.field()));
		}
		if (bad.status() == 401) {
			response.expectHeader().value(HttpHeaders.WWW_AUTHENTICATE, startsWith("Bearer"));
		}
		assertThat(digest()).as("database after '%s'", bad.name()).isEqualTo(before);
	}

	@Test
	void batchWithOneUnknownIdAppliesNothingAndListsTheUnknownIds() {
		UUID unknownOne = UUID.randomUUID();
		UUID unknownTwo = UUID.randomUUID();
		String outsider = one("""
				SELECT a.id::text FROM artifacts a
				 WHERE NOT EXISTS (SELECT 1 FROM collection_artifacts ca
				                    WHERE ca.artifact_id = a.id AND ca.collection_id = '%s')
				 ORDER BY a.id LIMIT 1""".formatted(this.collection));
		long members = count();
		String before = digest();
		this.client.post()
			.uri("/api/v1/collections/{id}/memberships", this.collection)
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"add\":[\"" + outsider + "\",\"" + unknownOne + "\"],\"remove\":[\"" + this.member + "\",\""
					+ unknownTwo + "\"]}")
			.exchange()
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.errors.length()").isEqualTo(2)
			.jsonPath("$.errors[0].field").isEqualTo("add[1]")
			.jsonPath("$.errors[0].reason").value(String.class, (reason) -> assertThat(reason).contains(unknownOne.toString()))
			.jsonPath("$.errors[1].field").isEqualTo("remove[1]")
			.jsonPath("$.errors[1].reason").value(String.class, (reason) -> assertThat(reason).contains(unknownTwo.toString()));
		assertThat(digest()).isEqualTo(before);
		assertThat(count()).isEqualTo(members);
	}

	@Test
	void chunkedBodyOverOneMebibyteIsRefusedWith413() {
		String before = digest();
		byte[] chunk = "d".repeat(64 * 1024).getBytes();
		Flux<DataBuffer> body = Flux.concat(
				Flux.just(DefaultDataBufferFactory.sharedInstance.wrap("{\"name\":\"x\",\"type\":\"skill\",\"description\":\"".getBytes())),
				Flux.range(0, 17).map((i) -> DefaultDataBufferFactory.sharedInstance.wrap(chunk)),
				Flux.just(DefaultDataBufferFactory.sharedInstance.wrap("\"}".getBytes())));
		this.client.post()
			.uri("/api/v1/artifacts")
			.header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
			.contentType(MediaType.APPLICATION_JSON)
			.body(body, DataBuffer.class)
			.exchange()
			.expectStatus()
			.isEqualTo(413)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(digest()).isEqualTo(before);
	}

	private long count() {
		return this.catalog.count("SELECT artifact_count FROM collections WHERE id = '" + this.collection + "'");
	}

	private String fill(String text) {
		return text.replace("{artifact}", this.artifact)
			.replace("{collection}", this.collection)
			.replace("{member}", this.member)
			.replace("{unknown}", "0f0f0f0f-0000-4000-8000-000000000000");
	}

	private String digest() {
		return one(DIGEST);
	}

	private String one(String sql) {
		return this.catalog.database().sql(sql).map((row) -> row.get(0, String.class)).one().block();
	}

}
