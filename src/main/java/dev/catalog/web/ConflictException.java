package dev.catalog.web;

/**
 * A write that contradicts what is already there (a collection name in use, a version the
 * artifact already has): answered with 409 problem+json, and nothing is changed.
 */
public class ConflictException extends RuntimeException {

	public ConflictException(String detail) {
		super(detail);
	}

}
