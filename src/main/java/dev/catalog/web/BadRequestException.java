package dev.catalog.web;

/**
 * A request parameter, id or cursor the service cannot use: answered with 400 problem+json,
 * before anything is read or changed.
 */
public class BadRequestException extends RuntimeException {

	private final String title;

	public BadRequestException(String title, String detail) {
		super(detail);
		this.title = title;
	}

	public String title() {
		return this.title;
	}

}
