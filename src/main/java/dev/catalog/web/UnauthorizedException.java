package dev.catalog.web;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * A write (or a read of secrets, such as share links) without a bearer token the service accepts: answered with 401 problem+json of type
 * {@code .../unauthorized}, title "Unauthorized" and the given detail (what was wrong with the
 * token), with {@code WWW-Authenticate: Bearer realm="artifact-catalog"}.
 */
public class UnauthorizedException extends ErrorResponseException {

	static final String CHALLENGE = "Bearer realm=\"artifact-catalog\"";

	public UnauthorizedException(String detail) {
		super(HttpStatus.UNAUTHORIZED, Problems.of(HttpStatus.UNAUTHORIZED, "Unauthorized", detail), null);
		getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
	}

}
