package dev.catalog.web;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * A well-formed body whose content is invalid: answered with 422 problem+json of type
 * {@code .../unprocessable-content}, title "Invalid content" and the given detail, whose
 * {@code errors} member lists every offending field and why, as objects with {@code field}
 * and {@code reason}, in the order given.
 */
public class UnprocessableException extends ErrorResponseException {

	public UnprocessableException(String detail, List<FieldError> errors) {
		super(HttpStatus.UNPROCESSABLE_CONTENT,
				Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid content", detail), null);
		getBody().setProperty("errors", List.copyOf(errors));
	}

	/**
	 * @param field the JSON pointer-ish path of the field, e.g. {@code name} or {@code add[3]}
	 * @param reason why it was refused
	 */
	public record FieldError(String field, String reason) {

	}

}
