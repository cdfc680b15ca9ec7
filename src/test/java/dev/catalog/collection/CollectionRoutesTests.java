package dev.catalog.collection;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import dev.catalog.RouteSlice;
import dev.catalog.artifact.ArtifactLists;
import dev.catalog.artifact.ArtifactQueries;
import dev.catalog.artifact.StreamProperties;
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
 * What the collection routes, memberships included, answer before anything is read or written:
 * malformed parameters, ids, cursors and bodies, and representations nobody serves. Nothing
 * reaches PostgreSQL or Redis (see {@link RouteSlice}).
 */
class CollectionRoutesTests {

	private static final String COLLECTION = "0f0f0f0f-0000-4000-8000-000000000001";

	private static final String ARTIFACT = "0f0f0f0f-0000-4000-8000-000000000002";

	private static final List<MediaType> MEMBER_TYPES = List.of(MediaType.APPLICATION_JSON,
			MediaType.APPLICATION_NDJSON, MediaType.TEXT_EVENT_STREAM);

	private final RouteSlice slice = new RouteSlice();

	private final WebTestClient client = this.slice.client(routes(this.slice));

	/** The real table and handlers, around a database that refuses connections and no cache. */
	private static RouterFunction<ServerResponse> routes(RouteSlice slice) {
		ArtifactLists lists = new ArtifactLists(new ArtifactQueries(slice.database()), slice.cursors(), null,
				new StreamProperties(null), () -> null);
		return CollectionRoutes.routes(new CollectionHandler(new CollectionQueries(slice.database()), slice.cursors(), null),
				new CollectionWriteHandler(new CollectionWrites(slice.database()), slice.writes(), slice.bodies()), lists);
	}

	@AfterEach
	void nothingReachedTheDatabase() {
		assertThat(this.slice.connectionsAsked()).isZero();
	}

	static Stream<Arguments> badListParameters() {
		return Stream.of(
				Arguments.of("limit=-1", "Invalid parameter", "limit must be an integer from 1 to 200, not '-1'."),
				Arguments.of("limit=1000", "Invalid parameter", "limit must be an integer from 1 to 200, not '1000'."),
				Arguments.of("cursor=", "Invalid cursor", "cursor must not be empty."),
				Arguments.of("cursor=garbage", "Invalid cursor", "The cursor is not one this service issued."));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badListParameters")
	void badParametersOfTheCollectionListAre400(String query, String title, String detail) {
		Map<String, Object> problem = problem(this.client.get().uri("/api/v1/collections?" + query).exchange(), 400);
		assertThat(problem).containsEntry("title", title)
			.containsEntry("detail", detail)
			.containsEntry("instance", "/api/v1/collections");
	}

	@Test
	void aCursorOfTheArtifactListIs400ForTheCollectionList() {
		String cursor = this.slice.cursors().encode("artifacts?", new Cursor(Instant.now(), UUID.randomUUID()));
		Map<String, Object> problem = problem(this.client.get().uri("/api/v1/collections?cursor=" + cursor).exchange(),
				400);
		assertThat((String) problem.get("detail")).contains("another list");
	}

	static Stream<Arguments> badMemberListParameters() {
		Stream<String> queries = Stream.of("limit=0", "cursor=garbage", "type=plugin", "tag=", "q=",
				IntStream.range(0, 11).mapToObj((i) -> "tag=t" + i).collect(Collectors.joining("&")));
		return queries.flatMap((query) -> MEMBER_TYPES.stream().map((type) -> Arguments.of(query, type)));
	}

	@ParameterizedTest(name = "{0} as {1}")
	@MethodSource("badMemberListParameters")
	void badParametersOfAMemberListAre400InEveryRepresentation(String query, MediaType accept) {
		Map<String, Object> problem = problem(this.client.get()
			.uri("/api/v1/collections/" + COLLECTION + "/artifacts?" + query)
			.accept(accept)
			.exchange(), 400);
		assertThat((String) problem.get("title")).isIn("Invalid parameter", "Invalid cursor");
	}

	/** Past a limit over 200, which a stream may ask for, what is checked next is the cursor. */
	@ParameterizedTest
	@ValueSource(strings = { "application/x-ndjson", "text/event-stream" })
	void aStreamOfMembersMayAskForMoreThan200(String accept) {
		Map<String, Object> problem = problem(this.client.get()
			.uri("/api/v1/collections/" + COLLECTION + "/artifacts?limit=1000&cursor=garbage")
			.accept(MediaType.parseMediaType(accept))
			.exchange(), 400);
		assertThat(problem).containsEntry("title", "Invalid cursor");
	}

	@ParameterizedTest
	@ValueSource(strings = { "application/json", "application/x-ndjson", "text/event-stream" })
	void aCursorOfAnotherCollectionsMembersIs400(String accept) {
		String cursor = this.slice.cursors()
			.encode("collections/" + UUID.randomUUID() + "/artifacts?", new Cursor(Instant.now(), UUID.randomUUID()));
		Map<String, Object> problem = problem(this.client.get()
			.uri("/api/v1/collections/" + COLLECTION + "/artifacts?cursor=" + cursor)
			.accept(MediaType.parseMediaType(accept))
			.exchange(), 400);
		assertThat((String) problem.get("detail")).contains("another list");
	}

	static Stream<Arguments> malformedIds() {
		return Stream.of(Arguments.of(HttpMethod.GET, "/api/v1/collections/123", "collection id '123'"),
				Arguments.of(HttpMethod.GET, "/api/v1/collections/123/artifacts", "collection id '123'"),
				Arguments.of(HttpMethod.PATCH, "/api/v1/collections/bad", "collection id 'bad'"),
				Arguments.of(HttpMethod.DELETE, "/api/v1/collections/bad", "collection id 'bad'"),
				Arguments.of(HttpMethod.PUT, "/api/v1/collections/bad/artifacts/" + ARTIFACT, "collection id 'bad'"),
				Arguments.of(HttpMethod.PUT, "/api/v1/collections/" + COLLECTION + "/artifacts/123", "artifact id '123'"),
				Arguments.of(HttpMethod.DELETE, "/api/v1/collections/" + COLLECTION + "/artifacts/bad",
						"artifact id 'bad'"),
				Arguments.of(HttpMethod.POST, "/api/v1/collections/bad/memberships", "collection id 'bad'"));
	}

	@ParameterizedTest(name = "{0} {1}")
	@MethodSource("malformedIds")
	void malformedIdsAre400BeforeTheBodyIsRead(HttpMethod method, String path, String named) {
		Map<String, Object> problem = problem(this.client.method(method).uri(path).exchange(), 400);
		assertThat(problem).containsEntry("title", "Malformed id")
			.containsEntry("detail", named + " is not a UUID.");
	}

	@ParameterizedTest
	@ValueSource(strings = { "application/json", "application/x-ndjson", "text/event-stream" })
	void aMalformedCollectionIdIs400InEveryRepresentationOfItsMembers(String accept) {
		problem(this.client.get()
			.uri("/api/v1/collections/123/artifacts")
			.accept(MediaType.parseMediaType(accept))
			.exchange(), 400);
	}

	@ParameterizedTest
	@ValueSource(strings = { "/api/v1/collections", "/api/v1/collections/" + COLLECTION })
	void anAcceptNamingNoRepresentationOfACollectionIs406ListingJson(String path) {
		for (MediaType accept : List.of(MediaType.TEXT_PLAIN, MediaType.APPLICATION_NDJSON, MediaType.TEXT_EVENT_STREAM)) {
			Map<String, Object> problem = problem(this.client.get().uri(path).accept(accept).exchange(), 406);
			assertThat(problem).containsEntry("title", "Not acceptable")
				.containsEntry("detail", "This resource is available as [application/json].");
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "text/csv", "application/xml", "image/png" })
	void anAcceptNamingNoRepresentationOfTheMembersIs406ListingTheirThree(String accept) {
		Map<String, Object> problem = problem(this.client.get()
			.uri("/api/v1/collections/" + COLLECTION + "/artifacts")
			.accept(MediaType.parseMediaType(accept))
			.exchange(), 406);
		assertThat(problem).containsEntry("detail",
				"This resource is available as [application/json, application/x-ndjson, text/event-stream].");
	}

	static Stream<Arguments> otherContentTypes() {
		return Stream.of(Arguments.of(HttpMethod.POST, "/api/v1/collections", null, "[application/json]"),
				Arguments.of(HttpMethod.POST, "/api/v1/collections", "text/plain", "[application/json]"),
				Arguments.of(HttpMethod.PATCH, "/api/v1/collections/" + COLLECTION, "application/xml",
						"[application/merge-patch+json, application/json]"),
				Arguments.of(HttpMethod.POST, "/api/v1/collections/" + COLLECTION + "/memberships", "text/plain",
						"[application/json]"));
	}

	@ParameterizedTest(name = "{0} {1} as {2}")
	@MethodSource("otherContentTypes")
	void writesRefuseOtherContentTypesWith415(HttpMethod method, String path, String contentType, String accepted) {
		WebTestClient.RequestBodySpec request = this.client.method(method).uri(path);
		if (contentType != null) {
			request.contentType(MediaType.parseMediaType(contentType)).bodyValue("{\"name\":\"x\"}");
		}
		Map<String, Object> problem = problem(request.exchange(), 415);
		assertThat(problem).containsEntry("title", "Unsupported media type")
			.containsEntry("detail", "Send the body as " + accepted + ".");
	}

	static Stream<Arguments> invalidBodies() {
		String overLimit = IntStream.range(0, 1001)
			.mapToObj((i) -> "\"" + new UUID(0, i) + "\"")
			.collect(Collectors.joining(",", "{\"add\":[", "]}"));
		return Stream.of(Arguments.of(HttpMethod.POST, "/api/v1/collections", "{\"description\":\"x\"}", "name"),
				Arguments.of(HttpMethod.POST, "/api/v1/collections", "{\"name\":\"x\",\"artifactCount\":5}",
						"artifactCount"),
				Arguments.of(HttpMethod.POST, "/api/v1/collections/" + COLLECTION + "/memberships", "{}", "add"),
				Arguments.of(HttpMethod.POST, "/api/v1/collections/" + COLLECTION + "/memberships",
						"{\"add\":[\"not-a-uuid\"]}", "add[0]"),
				Arguments.of(HttpMethod.POST, "/api/v1/collections/" + COLLECTION + "/memberships",
						"{\"add\":[\"" + ARTIFACT + "\"],\"remove\":[\"" + ARTIFACT + "\"]}", "remove[0]"),
				Arguments.of(HttpMethod.POST, "/api/v1/collections/" + COLLECTION + "/memberships", overLimit, "add"));
	}

	@ParameterizedTest(name = "{0} {1}: {3}")
	@MethodSource("invalidBodies")
	void invalidFieldsAre422NamingThem(HttpMethod method, String path, String body, String field) {
		invalid(this.client.method(method)
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange(), field);
	}

	@Test
	void aRenameToNullIs422() {
		this.client.patch()
			.uri("/api/v1/collections/" + COLLECTION)
			.contentType(MediaType.parseMediaType("application/merge-patch+json"))
			.bodyValue("{\"name\":null}")
			.exchange()
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.errors[0].field").isEqualTo("name");
	}

}
