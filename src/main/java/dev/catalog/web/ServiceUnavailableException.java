package dev.catalog.web;

import java.time.Duration;

/**
 * The service cannot answer now but will soon (database pool exhausted, database down with
 * nothing cached): answered with 503 problem+json and {@code Retry-After}.
 */
public class ServiceUnavailableException extends RuntimeException {

	private final Duration retryAfter;

	public ServiceUnavailableException(String detail, Duration retryAfter, Throwable cause) {
		super(detail, cause);
		this.retryAfter = retryAfter;
	}

	public Duration retryAfter() {
		return this.retryAfter;
	}

}
