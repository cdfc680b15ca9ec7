package dev.catalog.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.catalog.db.DatabaseFailures;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.annotation.Order;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.ErrorResponse;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Renders every failure, from a handler or from the framework (unknown route, wrong method,
 * unreadable body), as RFC 9457 {@code application/problem+json} with {@code type},
 * {@code title}, {@code status} and {@code detail}, whatever the request's {@code Accept}
 * said. It runs before Spring Boot's own error handler.
 */
@Order(-2)
public class ProblemResponses implements WebExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ProblemResponses.class);

	static final String TYPE_PREFIX = "https://artifact-catalog.dev/problems/";

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
		Problem problem = problem(failure, response);
		if (problem.status().is5xxServerError() && problem.status() != HttpStatus.SERVICE_UNAVAILABLE) {
			logger.error("{} {} failed", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), failure);
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", TYPE_PREFIX + slug(problem.status()));
		body.put("title", problem.title());
		body.put("status", problem.status().value());
		body.put("detail", problem.detail());
		body.put("instance", exchange.getRequest().getPath().value());
		body.putAll(problem.extensions());
		byte[] bytes = this.json.writeValueAsBytes(body);
		response.setStatusCode(problem.status());
		HttpHeaders headers = response.getHeaders();
		headers.remove(HttpHeaders.ETAG);
		headers.remove(HttpHeaders.CACHE_CONTROL);
		headers.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
		headers.setContentLength(bytes.length);
		if (problem.status() == HttpStatus.UNAUTHORIZED) {
			headers.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"artifact-catalog\"");
		}
		DataBuffer buffer = response.bufferFactory().wrap(bytes);
		return response.writeWith(Mono.just(buffer));
	}

	private record Problem(HttpStatus status, String title, String detail, Map<String, Object> extensions) {

		Problem(HttpStatus status, String title, String detail) {
			this(status, title, detail, Map.of());
		}

	}

	private Problem problem(Throwable failure, ServerHttpResponse response) {
		if (failure instanceof BadRequestException bad) {
			return new Problem(HttpStatus.BAD_REQUEST, bad.title(), bad.getMessage());
		}
		if (failure instanceof NotFoundException) {
			return new Problem(HttpStatus.NOT_FOUND, "Not found", failure.getMessage());
		}
		if (failure instanceof ConflictException) {
			return new Problem(HttpStatus.CONFLICT, "Conflict", failure.getMessage());
		}
		if (failure instanceof UnprocessableException invalid) {
			return new Problem(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid content", invalid.getMessage(),
					Map.of("errors", invalid.errors()));
		}
		if (failure instanceof ServiceUnavailableException unavailable) {
			return unavailable(response, unavailable.getMessage(), unavailable.retryAfter());
		}
		if (DatabaseFailures.isOutage(failure)) {
			return unavailable(response, "The database cannot take this request now; try again shortly.",
					Duration.ofSeconds(1));
		}
		if (failure instanceof NotAcceptableStatusException notAcceptable) {
			return new Problem(HttpStatus.NOT_ACCEPTABLE, "Not acceptable",
					"This resource is available as " + notAcceptable.getSupportedMediaTypes() + ".");
		}
		if (failure instanceof UnsupportedMediaTypeStatusException unsupported) {
			return new Problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type",
					"Send the body as " + unsupported.getSupportedMediaTypes() + ".");
		}
		if (failure instanceof MethodNotAllowedException notAllowed) {
			response.getHeaders().setAllow(notAllowed.getSupportedMethods());
			return new Problem(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed",
					notAllowed.getHttpMethod() + " is not supported here.");
		}
		if (DatabaseFailures.causedBy(failure, DataBufferLimitException.class)) {
			return new Problem(HttpStatus.CONTENT_TOO_LARGE, "Body too large", "The request body is over the limit.");
		}
		if (failure instanceof ServerWebInputException input) {
			if (input.getCause() instanceof DecodingException) {
				return new Problem(HttpStatus.BAD_REQUEST, "Malformed body",
						"The body is not well-formed JSON of the expected shape.");
			}
			return new Problem(HttpStatus.BAD_REQUEST, "Malformed request", input.getReason());
		}
		if (failure instanceof ResponseStatusException status) {
			HttpStatusCode code = status.getStatusCode();
			HttpStatus resolved = HttpStatus.resolve(code.value());
			resolved = (resolved != null) ? resolved : HttpStatus.INTERNAL_SERVER_ERROR;
			return new Problem(resolved, resolved.getReasonPhrase(),
					(status.getReason() != null) ? status.getReason() : resolved.getReasonPhrase());
		}
		if (failure instanceof ErrorResponse error) {
			response.getHeaders().putAll(error.getHeaders());
			HttpStatus resolved = HttpStatus.valueOf(error.getStatusCode().value());
			return new Problem(resolved, error.getBody().getTitle(), error.getBody().getDetail());
		}
		return new Problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
				"The service failed to answer; the failure has been logged.");
	}

	private static Problem unavailable(ServerHttpResponse response, String detail, Duration retryAfter) {
		response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
		return new Problem(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", detail);
	}

	private static String slug(HttpStatus status) {
		return status.getReasonPhrase().toLowerCase(Locale.ROOT).replace(' ', '-').replace("'", "");
	}

	static byte[] utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
