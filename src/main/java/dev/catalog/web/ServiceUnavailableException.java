package dev.catalog.web;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * The service cannot answer now but will soon (too many requests in flight, database pool
 * exhausted, database down with nothing cached): answered with 503 problem+json of type
 * {@code .../service-unavailable}, title "Service unavailable" and the given detail, with
 * {@code Retry-After} in whole seconds, at least 1.
 */
public class ServiceUnavailableException extends ErrorResponseException {

	public ServiceUnavailableException(String detail, Duration retryAfter, @Nullable Throwable cause) {
		super(HttpStatus.SERVICE_UNAVAILABLE,
				Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable", detail), cause);
		getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
	}

}
