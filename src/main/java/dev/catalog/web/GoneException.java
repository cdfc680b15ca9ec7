package dev.catalog.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * What the request names existed once but is no longer kept (a change feed position older than
 * the retention window): answered with 410 problem+json of type {@code .../gone}.
 */
public class GoneException extends ErrorResponseException {

	public GoneException(String title, String detail) {
		super(HttpStatus.GONE, Problems.of(HttpStatus.GONE, title, detail), null);
	}

}
