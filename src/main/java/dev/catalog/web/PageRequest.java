package dev.catalog.web;

import java.util.Optional;

import org.jspecify.annotations.Nullable;

import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * The paging parameters of a list request.
 *
 * @param limit the page size, 1 to {@value #MAX_LIMIT}; for a stream, how many items to send
 * @param limited whether the client asked for a limit (a stream without one sends everything)
 * @param cursor the raw cursor, or {@code null} for the first page
 */
public record PageRequest(int limit, boolean limited, @Nullable String cursor) {

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
		String cursor = request.queryParam("cursor").orElse(null);
		if (cursor != null && cursor.isBlank()) {
			throw new BadRequestException("Invalid cursor", "cursor must not be empty.");
		}
		return new PageRequest(limit, rawLimit.isPresent(), cursor);
	}

	private static BadRequestException invalidLimit(String value) {
		return new BadRequestException("Invalid parameter",
				"limit must be an integer from 1 to " + MAX_LIMIT + ", not '" + value + "'.");
	}

}
