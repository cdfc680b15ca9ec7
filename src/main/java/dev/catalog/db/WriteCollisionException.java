package dev.catalog.db;

import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A write that PostgreSQL kept aborting as a deadlock victim or serialization failure, retries
 * included: nothing of it was applied. Answered with 503 and {@code Retry-After}, since running
 * it again a moment later is expected to succeed.
 */
public class WriteCollisionException extends ErrorResponseException {

	WriteCollisionException(Duration retryAfter, Throwable cause) {
		super(HttpStatus.SERVICE_UNAVAILABLE, problem(), cause);
		getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
	}

	private static ProblemDetail problem() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"The write kept colliding with concurrent writes; nothing was applied, try again.");
		problem.setTitle("Service unavailable");
		return problem;
	}

}
