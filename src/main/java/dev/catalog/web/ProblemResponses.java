package dev.catalog.web;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.catalog.db.DatabaseFailures;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.annotation.Order;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.ErrorResponse;
import org.springframework.web.ErrorResponseException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Renders every failure, from a handler, a filter or the framework (unknown route, wrong
 * method, unreadable body), as RFC 9457 {@code application/problem+json}, whatever the
 * request's {@code Accept} said. It runs before Spring Boot's own error handler.
 * <p>
 * What is answered:
 * <ul>
 * <li>a body over the limit ({@link DataBufferLimitException} anywhere in the cause chain, even
 * where the framework wrapped it in a 400): 413, "Body too large";</li>
 * <li>a malformed media type in a header (an {@code Accept} that does not parse): 400,
 * "Malformed request";</li>
 * <li>an {@link ErrorResponse} (the catalog's exceptions in this package, and the framework's
 * {@code ResponseStatusException}s): its status, its headers ({@code Retry-After},
 * {@code WWW-Authenticate}, {@code Allow}, ...) and its {@link ProblemDetail}, except that the
 * framework's errors get this service's titles and details (see {@link #FRAMEWORK});</li>
 * <li>a failure that means the database cannot answer now ({@link DatabaseFailures#isOutage}):
 * 503, "Service unavailable", {@code Retry-After: 1};</li>
 * <li>anything else: 500, "Internal error", without saying what failed.</li>
 * </ul>
 * The body has {@code type} (the problem's own, or for a problem without one, or with
 * {@code about:blank}, {@value Problems#TYPE_PREFIX} and the status's slug, see
 * {@link Problems#type}), {@code title}, {@code status}, {@code detail} (the reason phrase
 * where the problem has none), {@code instance} (the request path), then the problem's own
 * members, such as a 422's {@code errors}. {@code ETag} and {@code Cache-Control} set before
 * the failure are removed, so that an error is never taken for the resource. Server errors
 * other than 503 are logged at ERROR with the failure. A response already committed is left
 * alone and the failure passes on.
 */
@Order(-2)
public class ProblemResponses implements WebExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ProblemResponses.class);

	/** RFC 9457's type of a problem that says nothing more than its status. */
	private static final URI BLANK = URI.create("about:blank");

	/**
	 * This service's title and detail for the framework's errors, whose own are worded for
	 * developers of the framework; the first row whose type matches wins. Errors not listed
	 * (the catalog's own among them) keep their problem's title and detail.
	 */
	private static final List<Wording<?>> FRAMEWORK = List.of(
			new Wording<>(NotAcceptableStatusException.class, (ex) -> "Not acceptable",
					(ex) -> "This resource is available as " + ex.getSupportedMediaTypes() + "."),
			new Wording<>(UnsupportedMediaTypeStatusException.class, (ex) -> "Unsupported media type",
					(ex) -> "Send the body as " + ex.getSupportedMediaTypes() + "."),
			new Wording<>(MethodNotAllowedException.class, (ex) -> "Method not allowed",
					(ex) -> ex.getHttpMethod() + " is not supported here."),
			new Wording<>(ServerWebInputException.class,
					(ex) -> isMalformedBody(ex) ? "Malformed body" : "Malformed request",
					(ex) -> isMalformedBody(ex) ? "The body is not well-formed JSON of the expected shape."
							: ex.getReason()),
			// any other: the reason it was thrown with, not the detail some subclasses make of it
			new Wording<>(ResponseStatusException.class, (ex) -> ex.getBody().getTitle(),
					ResponseStatusException::getReason));

	private final JsonMapper json;

	public ProblemResponses(JsonMapper json) {
		this.json = json;
	}

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.error(failure);
		}
		ErrorResponse error = answerTo(failure);
		HttpStatus status = HttpStatus.valueOf(error.getStatusCode().value());
		if (status.is5xxServerError() && status != HttpStatus.SERVICE_UNAVAILABLE) {
			logger.error("{} {} failed", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), failure);
		}
		byte[] bytes = this.json.writeValueAsBytes(body(error, status, exchange.getRequest().getPath().value()));
		response.setStatusCode(status);
		HttpHeaders headers = response.getHeaders();
		headers.putAll(error.getHeaders());
		headers.remove(HttpHeaders.ETAG);
		headers.remove(HttpHeaders.CACHE_CONTROL);
		headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		headers.setContentLength(bytes.length);
		return response.writeWith(Mono.just(response.bufferFactory().wrap(bytes)));
	}

	private static ErrorResponse answerTo(Throwable failure) {
		if (DatabaseFailures.causedBy(failure, DataBufferLimitException.class)) {
			return new ErrorResponseException(HttpStatus.CONTENT_TOO_LARGE, Problems.of(HttpStatus.CONTENT_TOO_LARGE,
					"Body too large", "The request body is over the limit."), failure);
		}
		if (failure instanceof InvalidMediaTypeException malformed) {
			return new BadRequestException("Malformed request",
					"A media type in the request's headers is malformed: '" + malformed.getMediaType() + "'.");
		}
		// a status without a reason phrase (a made-up code) could not name its type: an internal error
		if (failure instanceof ErrorResponse error && HttpStatus.resolve(error.getStatusCode().value()) != null) {
			return error;
		}
		if (DatabaseFailures.isOutage(failure)) {
			return new ServiceUnavailableException("The database cannot take this request now; try again shortly.",
					Duration.ofSeconds(1), failure);
		}
		return new ErrorResponseException(HttpStatus.INTERNAL_SERVER_ERROR, Problems.of(HttpStatus.INTERNAL_SERVER_ERROR,
				"Internal error", "The service failed to answer; the failure has been logged."), failure);
	}

	/**
	 * A new map rather than the problem itself: an exception may answer several requests (a
	 * shared load that failed), and each answer has its own {@code instance}.
	 */
	private static Map<String, @Nullable Object> body(ErrorResponse error, HttpStatus status, String path) {
		ProblemDetail problem = error.getBody();
		Wording<?> wording = FRAMEWORK.stream().filter((row) -> row.type().isInstance(error)).findFirst().orElse(null);
		String title = (wording != null) ? wording.title(error) : problem.getTitle();
		String detail = (wording != null) ? wording.detail(error) : problem.getDetail();
		Map<String, @Nullable Object> body = new LinkedHashMap<>();
		URI type = problem.getType();
		body.put("type", (type != null && !BLANK.equals(type)) ? type.toString() : Problems.type(status).toString());
		body.put("title", title);
		body.put("status", status.value());
		body.put("detail", (detail != null) ? detail : status.getReasonPhrase());
		body.put("instance", path);
		if (problem.getProperties() != null) {
			body.putAll(problem.getProperties());
		}
		return body;
	}

	private static boolean isMalformedBody(ServerWebInputException ex) {
		return ex.getCause() instanceof DecodingException;
	}

	/** How this service words one kind of framework error. */
	private record Wording<T>(Class<T> type, Function<T, @Nullable String> titleOf,
			Function<T, @Nullable String> detailOf) {

		@Nullable String title(Object error) {
			return this.titleOf.apply(this.type.cast(error));
		}

		@Nullable String detail(Object error) {
			return this.detailOf.apply(this.type.cast(error));
		}

	}

}
