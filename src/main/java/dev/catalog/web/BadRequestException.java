package dev.catalog.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * A request parameter, id, cursor or body the service cannot use: answered with 400
 * problem+json of type {@code .../bad-request} with the given title and detail, before
 * anything is read or changed.
 */
public class BadRequestException extends ErrorResponseException {

	public BadRequestException(String title, String detail) {
		super(HttpStatus.BAD_REQUEST, Problems.of(HttpStatus.BAD_REQUEST, title, detail), null);
	}

}
