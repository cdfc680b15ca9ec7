package dev.catalog.web;

/** An id that names nothing: answered with 404 problem+json. */
public class NotFoundException extends RuntimeException {

	public NotFoundException(String kind, Object id) {
		super("No " + kind + " with id " + id + ".");
	}

}
