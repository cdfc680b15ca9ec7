package dev.catalog.web;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What each kind of failure is answered with: status, {@code application/problem+json}, every
 * member of the body, and the headers that go with it. No server: a route that fails with the
 * failure, in front of {@link ProblemResponses} (see {@link TestHandlerStrategies}).
 */
@ExtendWith(OutputCaptureExtension.class)
class ProblemResponsesTests {

	private static final String TYPES = "https://artifact-catalog.dev/problems/";

	private static final String ID = "6f1c1d2e-0b7a-4c1e-9a51-2d3c4b5a6f70";

	@Test
	void aBadRequestIs400WithItsTitleAndDetail() {
		answerTo(new BadRequestException("Invalid parameter", "limit must be an integer from 1 to 200, not '0'."))
			.expectStatus().isBadRequest()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().json(problem("bad-request", "Invalid parameter", 400,
					"limit must be an integer from 1 to 200, not '0'."), JsonCompareMode.STRICT);
	}

	@Test
	void aCursorTheServiceDidNotIssueIs400InvalidCursor() {
		Throwable invalid = catchThrowable(() -> new CursorCodec("secret").decode("/api/v1/artifacts", "garbage!"));
		answerTo(invalid).expectStatus().isBadRequest()
			.expectBody().json(problem("bad-request", "Invalid cursor", 400, "The cursor is not one this service issued."),
					JsonCompareMode.STRICT);
	}

	@Test
	void anIdThatNamesNothingIs404NamingKindAndId() {
		answerTo(new NotFoundException("artifact", ID)).expectStatus().isNotFound()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().json(problem("not-found", "Not found", 404, "No artifact with id " + ID + "."),
					JsonCompareMode.STRICT);
	}

	@Test
	void aConflictIs409() {
		answerTo(new ConflictException("A collection named 'x' already exists.")).expectStatus().isEqualTo(409)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().json(problem("conflict", "Conflict", 409, "A collection named 'x' already exists."),
					JsonCompareMode.STRICT);
	}

	@Test
	void invalidContentIs422ListingEveryFieldAndWhyInOrder() {
		answerTo(new UnprocessableException("The artifact cannot be created as sent.",
				List.of(new UnprocessableException.FieldError("owner", "unknown field"),
						new UnprocessableException.FieldError("tags[1]", "must not be empty"))))
			.expectStatus().isEqualTo(422)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().json("""
					{"type":"%sunprocessable-content","title":"Invalid content","status":422,
					"detail":"The artifact cannot be created as sent.","instance":"/things/42",
					"errors":[{"field":"owner","reason":"unknown field"},{"field":"tags[1]","reason":"must not be empty"}]}
					""".formatted(TYPES), JsonCompareMode.STRICT);
	}

	@Test
	void unavailableIs503WithRetryAfterInWholeSecondsAtLeastOne(CapturedOutput output) {
		answerTo(new ServiceUnavailableException("Too many requests in flight.", Duration.ofMillis(2500), null))
			.expectStatus().isEqualTo(503)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "2")
			.expectBody().json(problem("service-unavailable", "Service unavailable", 503, "Too many requests in flight."),
					JsonCompareMode.STRICT);
		answerTo(new ServiceUnavailableException("Soon.", Duration.ZERO, new IllegalStateException("cause")))
			.expectStatus().isEqualTo(503)
			.expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1");
		assertThat(output.getAll()).as("a 503 is expected under load: not logged as a failure").doesNotContain("failed");
	}

	@Test
	void aRefusedTokenIs401WithTheBearerChallenge() {
		answerTo(new UnauthorizedException("The bearer token is not valid.")).expectStatus().isUnauthorized()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"artifact-catalog\"")
			.expectBody().json(problem("unauthorized", "Unauthorized", 401, "The bearer token is not valid."),
					JsonCompareMode.STRICT);
	}

	@Test
	void anUnsupportedAcceptIs406NamingTheRepresentationsAsProblemJsonAllTheSame() {
		answerTo(new NotAcceptableStatusException(List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_NDJSON)),
				MediaType.parseMediaType("text/csv"))
			.expectStatus().isEqualTo(406)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			// the framework's own header, passed on
			.expectHeader().valueEquals(HttpHeaders.ACCEPT, "application/json, application/x-ndjson")
			.expectBody().json(problem("not-acceptable", "Not acceptable", 406,
					"This resource is available as [application/json, application/x-ndjson]."), JsonCompareMode.STRICT);
	}

	@Test
	void aBodyOfAnotherMediaTypeIs415NamingTheAcceptedOnes() {
		answerTo(new UnsupportedMediaTypeStatusException(MediaType.TEXT_PLAIN,
				List.of(MediaType.parseMediaType("application/merge-patch+json"), MediaType.APPLICATION_JSON)))
			.expectStatus().isEqualTo(415)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader().valueEquals(HttpHeaders.ACCEPT, "application/merge-patch+json, application/json")
			.expectBody().json(problem("unsupported-media-type", "Unsupported media type", 415,
					"Send the body as [application/merge-patch+json, application/json]."), JsonCompareMode.STRICT);
	}

	@Test
	void aMethodTheResourceDoesNotSupportIs405WithAllow() {
		answerTo(new MethodNotAllowedException(HttpMethod.DELETE, Set.of(HttpMethod.GET)))
			.expectStatus().isEqualTo(405)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader().valueEquals(HttpHeaders.ALLOW, "GET")
			.expectBody().json(problem("method-not-allowed", "Method not allowed", 405, "DELETE is not supported here."),
					JsonCompareMode.STRICT);
	}

	@Test
	void aBodyOverTheLimitIs413EvenWhereTheFrameworkWrappedItInA400() {
		String tooLarge = problem("content-too-large", "Body too large", 413, "The request body is over the limit.");
		answerTo(new DataBufferLimitException("Exceeded limit on max bytes to buffer : 1048576"))
			.expectStatus().isEqualTo(413)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().json(tooLarge, JsonCompareMode.STRICT);
		answerTo(new ServerWebInputException("Failed to read HTTP message", null,
				new DecodingException("wrapped", new DataBufferLimitException("Exceeded limit"))))
			.expectStatus().isEqualTo(413)
			.expectBody().json(tooLarge, JsonCompareMode.STRICT);
	}

	@Test
	void unreadableInputIs400MalformedBodyOrMalformedRequest() {
		answerTo(new ServerWebInputException("Failed to read HTTP message", null,
				new DecodingException("JSON decoding error")))
			.expectStatus().isBadRequest()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().json(problem("bad-request", "Malformed body", 400,
					"The body is not well-formed JSON of the expected shape."), JsonCompareMode.STRICT);
		answerTo(new ServerWebInputException("Required query parameter 'q' is not present."))
			.expectStatus().isBadRequest()
			.expectBody().json(problem("bad-request", "Malformed request", 400,
					"Required query parameter 'q' is not present."), JsonCompareMode.STRICT);
	}

	@Test
	void anyOtherStatusExceptionKeepsTheReasonPhraseAsTitleAndItsReasonAsDetail() {
		answerTo(new ResponseStatusException(HttpStatus.GONE, "It went away.")).expectStatus().isEqualTo(410)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().json(problem("gone", "Gone", 410, "It went away."), JsonCompareMode.STRICT);
		answerTo(new ResponseStatusException(HttpStatus.NOT_FOUND)).expectStatus().isNotFound()
			.expectBody().json(problem("not-found", "Not Found", 404, "Not Found"), JsonCompareMode.STRICT);
	}

	@Test
	void anErrorResponseWithoutATypeOfItsOwnGetsTheServicesTypeAndKeepsItsTextAndHeaders() {
		ErrorResponseException collision = new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE);
		collision.setTitle("Service unavailable");
		collision.setDetail("The write kept colliding with concurrent writes; nothing was applied, try again.");
		collision.getHeaders().set(HttpHeaders.RETRY_AFTER, "1");
		answerTo(collision).expectStatus().isEqualTo(503)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
			.expectBody().json(problem("service-unavailable", "Service unavailable", 503,
					"The write kept colliding with concurrent writes; nothing was applied, try again."),
					JsonCompareMode.STRICT);
	}

	@Test
	void aDatabaseOutageIs503WithRetryAfterOne(CapturedOutput output) {
		answerTo(new DataAccessResourceFailureException("Failed to obtain R2DBC Connection", new ConnectException()))
			.expectStatus().isEqualTo(503)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
			.expectBody().json(problem("service-unavailable", "Service unavailable", 503,
					"The database cannot take this request now; try again shortly."), JsonCompareMode.STRICT);
		assertThat(output.getAll()).doesNotContain("failed");
	}

	@Test
	void anythingElseIs500SayingNothingOfTheFailureWhichIsLogged(CapturedOutput output) {
		answerTo(new IllegalStateException("secret internals")).expectStatus().isEqualTo(500)
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody().json(problem("internal-server-error", "Internal error", 500,
					"The service failed to answer; the failure has been logged."), JsonCompareMode.STRICT);
		assertThat(output.getAll()).contains("ERROR", "GET /things/42 failed", "IllegalStateException: secret internals");
	}

	@Test
	void aClientErrorIsNotLogged(CapturedOutput output) {
		answerTo(new NotFoundException("artifact", ID)).expectStatus().isNotFound();
		assertThat(output.getAll()).doesNotContain("failed");
	}

	static Stream<Throwable> failures() {
		return Stream.of(new NotFoundException("artifact", ID),
				new ServiceUnavailableException("Soon.", Duration.ofSeconds(1), null),
				new NotAcceptableStatusException(List.of(MediaType.APPLICATION_JSON)),
				new DataBufferLimitException("over"), new IllegalStateException("unexpected"));
	}

	@ParameterizedTest
	@MethodSource("failures")
	void validatorsAndCachingSetBeforeTheFailureAreRemoved(Throwable failure) {
		answerTo(failure).expectHeader().doesNotExist(HttpHeaders.ETAG)
			.expectHeader().doesNotExist(HttpHeaders.CACHE_CONTROL)
			.expectHeader().valueEquals("X-Kept", "yes")
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
	}

	@Test
	void aRequestNoRouteMatchesIs404ProblemJson() {
		client(new IllegalStateException("not reached")).get().uri("/nowhere").exchange()
			.expectStatus().isNotFound()
			.expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.type").isEqualTo(TYPES + "not-found")
			.jsonPath("$.status").isEqualTo(404)
			.jsonPath("$.instance").isEqualTo("/nowhere");
	}

	private static String problem(String type, String title, int status, String detail) {
		return """
				{"type":"%s%s","title":"%s","status":%d,"detail":"%s","instance":"/things/42"}
				""".formatted(TYPES, type, title, status, detail);
	}

	private static WebTestClient.ResponseSpec answerTo(Throwable failure) {
		return answerTo(failure, MediaType.APPLICATION_JSON);
	}

	private static WebTestClient.ResponseSpec answerTo(Throwable failure, MediaType accept) {
		return client(failure).get().uri("/things/42").accept(accept).exchange();
	}

	/** A route that sets a validator, caching and one more header, then fails with {@code failure}. */
	private static WebTestClient client(Throwable failure) {
		return WebTestClient.bindToRouterFunction(RouterFunctions.route().GET("/things/{id}", (request) -> {
			HttpHeaders headers = request.exchange().getResponse().getHeaders();
			headers.setETag("\"v1\"");
			headers.setCacheControl("max-age=60");
			headers.set("X-Kept", "yes");
			return Mono.error(failure);
		}).build())
			.handlerStrategies(TestHandlerStrategies.withProblemResponses())
			.build();
	}

}
