package dev.catalog.web;

import java.util.List;

/**
 * A well-formed body whose content is invalid: answered with 422 problem+json that lists
 * every offending field and why.
 */
public class UnprocessableException extends RuntimeException {

	private final List<FieldError> errors;

	public UnprocessableException(String detail, List<FieldError> errors) {
		super(detail);
		this.errors = List.copyOf(errors);
	}

	public List<FieldError> errors() {
		return this.errors;
	}

	/**
	 * @param field the JSON pointer-ish path of the field, e.g. {@code name} or {@code add[3]}
	 * @param reason why it was refused
	 */
	public record FieldError(String field, String reason) {

	}

}
