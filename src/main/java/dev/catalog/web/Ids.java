package dev.catalog.web;

import java.util.UUID;


/** Parses ids from paths and parameters, refusing anything that is not a UUID with a 400. */
public final class Ids {

	private Ids() {
	}

	public static UUID parse(String what, String value) {
		try {
			if (value.length() == 36) {
				return UUID.fromString(value);
			}
		}
		catch (IllegalArgumentException ex) {
			// fall through to the same answer as a wrong length
		}
		throw new BadRequestException("Malformed id", what + " id '" + value + "' is not a UUID.");
	}

}
