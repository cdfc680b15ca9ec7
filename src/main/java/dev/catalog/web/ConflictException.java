package dev.catalog.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * A write that contradicts what is already there (a collection name in use, a version the
 * artifact already has): answered with 409 problem+json of type {@code .../conflict}, title
 * "Conflict" and the given detail; nothing is changed.
 */
public class ConflictException extends ErrorResponseException {

	public ConflictException(String detail) {
		super(HttpStatus.CONFLICT, Problems.of(HttpStatus.CONFLICT, "Conflict", detail), null);
	}

}
