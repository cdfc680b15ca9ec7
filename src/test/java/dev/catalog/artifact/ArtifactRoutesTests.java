package dev.catalog.artifact;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import dev.catalog.RouteSlice;
import dev.catalog.web.Cursor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static dev.catalog.RouteSlice.invalid;
import static dev.catalog.RouteSlice.problem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the artifact routes answer before anything is read or written: malformed parameters,
 * ids, cursors and bodies, and representations nobody serves. Nothing reaches PostgreSQL or
 * Redis (see {@link RouteSlice}).
 */
class ArtifactRoutesTests {

	private static final String ARTIFACT = "6f1c1d2e-0b7a-4c1e-9a51-2d3c4b5a6f70";

	private static final List<MediaType> LIST_TYPES = List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_NDJSON,
			MediaType.TEXT_EVENT_STREAM);

	private final RouteSlice slice = new RouteSlice();

	private final WebTestClient client = this.slice.client(routes(this.slice));

	/** The real table and handlers, around a database that refuses connections and no cache. */
	private static RouterFunction<ServerResponse> routes(RouteSlice slice) {
		ArtifactQueries queries = new ArtifactQueries(slice.database());
		FacetProperties facets = new FacetProperties(20, 20, Duration.ofSeconds(5));
		return ArtifactRoutes.routes(new ArtifactLists(queries, slice.cursors(), null, new StreamProperties(null), () -> null),
				new FacetHandler(new FacetQueries(slice.database(), facets), null, facets),
				new ArtifactHandler(queries, null), new ArtifactWriteHandler(new ArtifactWrites(slice.database()),
						slice.writes(), slice.bodies(), RouteSlice.JSON));
	}

	@AfterEach
	void nothingReachedTheDatabase() {
		assertThat(this.slice.connectionsAsked()).isZero();
	}

	static Stream<Arguments> badListParameters() {
		Stream<Arguments> parameters = Stream.of(Arguments.of("cursor=", "Invalid cursor", "cursor must not be empty."),
				Arguments.of("cursor=garbage", "Invalid cursor", "The cursor is not one this service issued."),
				Arguments.of("type=plugin", "Invalid parameter",
						"type must be one of [skill, command, agent, mcp, hook], not 'plugin'."),
				Arguments.of("tag=", "Invalid parameter", "tag must be 1 to 50 characters, without NUL."),
				Arguments.of("tag=" + "t".repeat(51), "Invalid parameter", "tag must be 1 to 50 characters, without NUL."),
				Arguments.of(IntStream.range(0, 11).mapToObj((i) -> "tag=t" + i).collect(Collectors.joining("&")),
						"Invalid parameter", "At most 10 tag filters."),
				Arguments.of("collection=nope", "Malformed id", "collection id 'nope' is not a UUID."),
				Arguments.of("q=", "Invalid parameter", "q must be 1 to 200 characters, without NUL."),
				Arguments.of("q=" + "q".repeat(201), "Invalid parameter", "q must be 1 to 200 characters, without NUL."),
				// PostgreSQL text cannot hold NUL: these were 500s until the fuzz run found them
				Arguments.of("q=a\u0000b", "Invalid parameter", "q must be 1 to 200 characters, without NUL."),
				Arguments.of("tag=a\u0000", "Invalid parameter", "tag must be 1 to 50 characters, without NUL."));
		Stream<Arguments> limits = Stream.of(
				Arguments.of("limit=0", MediaType.APPLICATION_JSON, "Invalid parameter",
						"limit must be an integer from 1 to 200, not '0'."),
				Arguments.of("limit=201", MediaType.APPLICATION_JSON, "Invalid parameter",
						"limit must be an integer from 1 to 200, not '201'."),
				Arguments.of("limit=ten", MediaType.APPLICATION_JSON, "Invalid parameter",
						"limit must be an integer from 1 to 200, not 'ten'."),
				Arguments.of("limit=0", MediaType.APPLICATION_NDJSON, "Invalid parameter",
						"limit must be an integer of at least 1 for a stream, not '0'."),
				Arguments.of("limit=-5", MediaType.TEXT_EVENT_STREAM, "Invalid parameter",
						"limit must be an integer of at least 1 for a stream, not '-5'."),
				Arguments.of("limit=2.5", MediaType.APPLICATION_NDJSON, "Invalid parameter",
						"limit must be an integer of at least 1 for a stream, not '2.5'."),
				Arguments.of("limit=ten", MediaType.TEXT_EVENT_STREAM, "Invalid parameter",
						"limit must be an integer of at least 1 for a stream, not 'ten'."));
		return Stream.concat(limits, parameters.flatMap((bad) -> LIST_TYPES.stream()
			.map((type) -> Arguments.of(bad.get()[0], type, bad.get()[1], bad.get()[2]))));
	}

	@ParameterizedTest(name = "{0} as {1}")
	@MethodSource("badListParameters")
	void badListParametersAre400InEveryRepresentation(String query, MediaType accept, String title, String detail) {
		Map<String, Object> problem = problem(
				this.client.get().uri("/api/v1/artifacts?" + query).accept(accept).exchange(), 400);
		assertThat(problem).containsEntry("title", title)
			.containsEntry("detail", detail)
			.containsEntry("instance", "/api/v1/artifacts");
	}

	/**
	 * A stream's limit has no upper bound of 200: past the limit, what is checked next is the
	 * cursor (a slice has no database to stream from).
	 */
	@ParameterizedTest
	@ValueSource(strings = { "application/x-ndjson", "text/event-stream" })
	void aStreamMayAskForMoreThan200(String accept) {
		Map<String, Object> problem = problem(this.client.get()
			.uri("/api/v1/artifacts?limit=300&cursor=garbage")
			.accept(MediaType.parseMediaType(accept))
			.exchange(), 400);
		assertThat(problem).containsEntry("title", "Invalid cursor");
	}

	/**
	 * The list's bad filters (its bad paging parameters left out: the facets take none), each
	 * with a paging parameter the facets ignore, even a malformed one.
	 */
	static Stream<Arguments> badFacetFilters() {
		return badListParameters().map(Arguments::get)
			.filter((bad) -> bad[1].equals(MediaType.APPLICATION_JSON))
			.filter((bad) -> !((String) bad[0]).startsWith("limit=") && !((String) bad[0]).startsWith("cursor="))
			.map((bad) -> Arguments.of(bad[0] + "&limit=0&cursor=garbage", bad[2], bad[3]));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badFacetFilters")
	void badFiltersOfTheFacetsAreTheList400s(String query, String title, String detail) {
		Map<String, Object> problem = problem(
				this.client.get().uri("/api/v1/artifacts/facets?" + query).accept(MediaType.APPLICATION_JSON).exchange(),
				400);
		assertThat(problem).containsEntry("title", title)
			.containsEntry("detail", detail)
			.containsEntry("instance", "/api/v1/artifacts/facets");
	}

	@Test
	void theFacetsAreCheckedWithABadValueOfEveryFilter() {
		assertThat(badFacetFilters().map((bad) -> ((String) bad.get()[0]).replaceAll("=.*", "")).distinct())
			.containsExactlyInAnyOrder("type", "tag", "collection", "q");
	}

	@ParameterizedTest
	@ValueSource(strings = { "application/x-ndjson", "text/event-stream", "application/xml", "text/*" })
	void theFacetsAreJsonOnlyAnyOtherAcceptIs406BeforeTheFilters(String accept) {
		Map<String, Object> problem = problem(this.client.get()
			.uri("/api/v1/artifacts/facets?type=plugin")
			.accept(MediaType.parseMediaType(accept))
			.exchange(), 406);
		assertThat(problem).containsEntry("title", "Not acceptable")
			.containsEntry("detail", "This resource is available as [application/json].")
			.containsEntry("instance", "/api/v1/artifacts/facets");
	}

	@Test
	void anAcceptOfTheFacetsThatDoesNotParseIs400() {
		Map<String, Object> problem = problem(
				this.client.get().uri("/api/v1/artifacts/facets").header("Accept", "garbage").exchange(), 400);
		assertThat(problem).containsEntry("title", "Malformed request");
	}

	@ParameterizedTest
	@ValueSource(strings = { "application/json", "application/x-ndjson", "text/event-stream" })
	void aCursorOfAnotherListIs400(String accept) {
		String cursor = this.slice.cursors().encode("artifacts?", new Cursor(Instant.now(), UUID.randomUUID()));
		Map<String, Object> problem = problem(this.client.get()
			.uri("/api/v1/artifacts?limit=5&type=skill&cursor=" + cursor)
			.accept(MediaType.parseMediaType(accept))
			.exchange(), 400);
		assertThat((String) problem.get("detail")).contains("another list");
	}

	@Test
	void anEventStreamResumedFromAnIdTheServiceDidNotIssueIs400() {
		Map<String, Object> problem = problem(this.client.get()
			.uri("/api/v1/artifacts")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.header("Last-Event-ID", "garbage")
			.exchange(), 400);
		assertThat(problem).containsEntry("title", "Invalid cursor")
			.containsEntry("detail", "The cursor is not one this service issued.");
	}

	static Stream<Arguments> malformedIds() {
		return Stream.of(Arguments.of(HttpMethod.GET, "/api/v1/artifacts/not-a-uuid", "not-a-uuid"),
				Arguments.of(HttpMethod.GET, "/api/v1/artifacts/6f1c1d2e-0b7a-4c1e-9a51-2d3c4b5a6f7",
						"6f1c1d2e-0b7a-4c1e-9a51-2d3c4b5a6f7"),
				Arguments.of(HttpMethod.PATCH, "/api/v1/artifacts/not-a-uuid", "not-a-uuid"),
				Arguments.of(HttpMethod.DELETE, "/api/v1/artifacts/1' OR '1'='1", "1' OR '1'='1"),
				Arguments.of(HttpMethod.POST, "/api/v1/artifacts/123/versions", "123"));
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("malformedIds")
	void malformedArtifactIdsAre400BeforeTheBodyIsRead(HttpMethod method, String path, String id) {
		Map<String, Object> problem = problem(this.client.method(method)
			.uri((uri) -> uri.path(path).build())
			.accept(MediaType.APPLICATION_JSON)
			.exchange(), 400);
		assertThat(problem).containsEntry("title", "Malformed id")
			.containsEntry("detail", "artifact id '" + id + "' is not a UUID.");
	}

	@ParameterizedTest
	@ValueSource(strings = { "text/csv", "application/xml", "text/plain", "application/problem+json", "image/*" })
	void anAcceptNamingNoRepresentationOfTheListIs406ListingItsThree(String accept) {
		Map<String, Object> problem = problem(
				this.client.get().uri("/api/v1/artifacts").accept(MediaType.parseMediaType(accept)).exchange(), 406);
		assertThat(problem).containsEntry("title", "Not acceptable")
			.containsEntry("detail",
					"This resource is available as [application/json, application/x-ndjson, text/event-stream].");
	}

	@ParameterizedTest
	@ValueSource(strings = { "application/xml", "application/x-ndjson", "text/event-stream", "text/*" })
	void anAcceptNamingNoRepresentationOfAnArtifactIs406ListingJson(String accept) {
		Map<String, Object> problem = problem(
				this.client.get().uri("/api/v1/artifacts/" + ARTIFACT).accept(MediaType.parseMediaType(accept)).exchange(),
				406);
		assertThat(problem).containsEntry("title", "Not acceptable")
			.containsEntry("detail", "This resource is available as [application/json].");
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/v1/artifacts", "/api/v1/artifacts/" + ARTIFACT })
	void anAcceptThatDoesNotParseIs400NotAServerError(String path) {
		Map<String, Object> problem = problem(this.client.get().uri(path).header("Accept", "garbage").exchange(), 400);
		assertThat(problem).containsEntry("title", "Malformed request")
			.containsEntry("detail", "A media type in the request's headers is malformed: 'garbage'.");
	}

	@Test
	void aNotAcceptableAcceptComesBeforeAMalformedParameter() {
		problem(this.client.get().uri("/api/v1/artifacts?limit=0").accept(MediaType.TEXT_PLAIN).exchange(), 406);
	}

	static Stream<Arguments> otherContentTypes() {
		String valid = "{\"name\":\"ok\",\"type\":\"skill\"}";
		return Stream.of(Arguments.of(HttpMethod.POST, "/api/v1/artifacts", "text/plain", valid, "[application/json]"),
				Arguments.of(HttpMethod.POST, "/api/v1/artifacts", "application/merge-patch+json", valid,
						"[application/json]"),
				Arguments.of(HttpMethod.POST, "/api/v1/artifacts", null, null, "[application/json]"),
				Arguments.of(HttpMethod.PATCH, "/api/v1/artifacts/" + ARTIFACT, "application/xml", "<name>x</name>",
						"[application/merge-patch+json, application/json]"),
				Arguments.of(HttpMethod.POST, "/api/v1/artifacts/" + ARTIFACT + "/versions", "text/plain",
						"{\"version\":\"1.0.0\"}", "[application/json]"));
	}

	@ParameterizedTest(name = "{0} {1} as {2}")
	@MethodSource("otherContentTypes")
	void writesRefuseOtherContentTypesWith415(HttpMethod method, String path, String contentType, String body,
			String accepted) {
		WebTestClient.RequestBodySpec request = this.client.method(method).uri(path);
		if (contentType != null) {
			request.contentType(MediaType.parseMediaType(contentType));
		}
		WebTestClient.ResponseSpec response = (body != null) ? request.bodyValue(body).exchange() : request.exchange();
		Map<String, Object> problem = problem(response, 415);
		assertThat(problem).containsEntry("title", "Unsupported media type")
			.containsEntry("detail", "Send the body as " + accepted + ".");
	}

	@ParameterizedTest
	@ValueSource(strings = { " \n ", "{\"name\":", "{\"name\":\"a\",\"type\":\"skill\"} x",
			"{\"name\":\"a\",\"name\":\"b\",\"type\":\"skill\"}", "{'name':'x'}" })
	void anUnreadableBodyIs400(String body) {
		Map<String, Object> problem = problem(this.client.post()
			.uri("/api/v1/artifacts")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange(), 400);
		assertThat(problem).containsEntry("title", "Malformed body");
	}

	@Test
	void aBodyOverOneMebibyteIs413() {
		String body = "{\"name\":\"big\",\"type\":\"skill\",\"description\":\"" + "d".repeat(1024 * 1024) + "\"}";
		problem(this.client.post().uri("/api/v1/artifacts").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
			.exchange(), 413);
	}

	static Stream<Arguments> invalidNewArtifacts() {
		return Stream.of(Arguments.of("{\"type\":\"skill\"}", "name"),
				Arguments.of("{\"name\":\"x\",\"type\":\"widget\"}", "type"),
				Arguments.of("{\"name\":\"x\",\"type\":\"skill\",\"owner\":\"me\"}", "owner"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("invalidNewArtifacts")
	void invalidFieldsOfANewArtifactAre422NamingThem(String body, String field) {
		invalid(this.client.post()
			.uri("/api/v1/artifacts")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange(), field);
	}

	@Test
	void anInvalidPatchIs422NamingTheField() {
		this.client.patch()
			.uri("/api/v1/artifacts/" + ARTIFACT)
			.contentType(MediaType.parseMediaType("application/merge-patch+json"))
			.bodyValue("{\"name\":null}")
			.exchange()
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.errors[0].field").isEqualTo("name");
	}

}
