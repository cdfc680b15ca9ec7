package dev.catalog.web;

import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * A client over its rate limit or with too many streams open: answered with 429 problem+json of
 * type {@code .../too-many-requests}, title "Too many requests" and the given detail, with
 * {@code Retry-After} in whole seconds, at least 1.
 */
class TooManyRequestsException extends ErrorResponseException {

	TooManyRequestsException(String detail, Duration retryAfter) {
		super(HttpStatus.TOO_MANY_REQUESTS, Problems.of(HttpStatus.TOO_MANY_REQUESTS, "Too many requests", detail),
				null);
		long seconds = retryAfter.toSeconds() + ((retryAfter.toNanosPart() > 0) ? 1 : 0);
		getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, seconds)));
	}

}
