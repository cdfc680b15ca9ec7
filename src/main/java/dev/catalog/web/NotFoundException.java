package dev.catalog.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * An id that names nothing: answered with 404 problem+json of type {@code .../not-found},
 * title "Not found" and the detail "No {kind} with id {id}."
 */
public class NotFoundException extends ErrorResponseException {

	public NotFoundException(String kind, Object id) {
		super(HttpStatus.NOT_FOUND, Problems.of(HttpStatus.NOT_FOUND, "Not found", "No " + kind + " with id " + id + "."),
				null);
	}

}
