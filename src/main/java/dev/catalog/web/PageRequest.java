package dev.catalog.web;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * The paging parameters of a request for a JSON page of a list (a stream's are a
 * {@link StreamRequest}).
 *
 * @param limit the page size, 1 to {@value #MAX_LIMIT}
 * @param cursor the raw cursor, or {@code null} for the first page
 */
public record PageRequest(int limit, @Nullable String cursor) {

	public static final int DEFAULT_LIMIT = 50;

	public static final int MAX_LIMIT = 200;

	/**
	 * @throws BadRequestException if {@code limit} is not an integer from 1 to 200 or the
	 * cursor is empty
	 */
	public static PageRequest of(ServerRequest request) {
		Optional<String> rawLimit = request.queryParam("limit");
		int limit = DEFAULT_LIMIT;
		if (rawLimit.isPresent()) {
			try {
				limit = Integer.parseInt(rawLimit.get().trim());
			}
			catch (NumberFormatException ex) {
				throw invalidLimit(rawLimit.get());
			}
			if (limit < 1 || limit > MAX_LIMIT) {
				throw invalidLimit(rawLimit.get());
			}
		}
		return new PageRequest(limit, cursor(request));
	}

	/**
	 * The {@code cursor} parameter, or {@code null} without one.
	 * @throws BadRequestException if it is there but empty
	 */
	static @Nullable String cursor(ServerRequest request) {
		String cursor = request.queryParam("cursor").orElse(null);
		if (cursor != null && cursor.isBlank()) {
			throw new BadRequestException("Invalid cursor", "cursor must not be empty.");
		}
		return cursor;
	}

	private static BadRequestException invalidLimit(String value) {
		return new BadRequestException("Invalid parameter",
				"limit must be an integer from 1 to " + MAX_LIMIT + ", not '" + value + "'.");
	}

}
