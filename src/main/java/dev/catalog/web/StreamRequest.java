package dev.catalog.web;

import java.util.Optional;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * The paging parameters of a request for a list as a stream (NDJSON, Server-Sent Events):
 * unlike a page ({@link PageRequest}), a stream has no upper bound of 200, since it is read in
 * chunks paced by the reader however long it is.
 *
 * @param max the most items to send: the {@code limit} parameter, any integer from 1 up
 * ({@link Long#MAX_VALUE}, that is all of them, without one, or for one too large for a
 * {@code long})
 * @param cursor the raw cursor to start after, or {@code null} to start at the beginning
 */
public record StreamRequest(long max, @Nullable String cursor) {

	/** Digits too many for a {@code long}, but still a positive integer: all of the list. */
	private static final Pattern POSITIVE_INTEGER = Pattern.compile("\\+?0*[1-9][0-9]*");

	/**
	 * @throws BadRequestException if {@code limit} is not an integer of at least 1, or the
	 * cursor is empty
	 */
	public static StreamRequest of(ServerRequest request) {
		Optional<String> rawLimit = request.queryParam("limit");
		long max = Long.MAX_VALUE;
		if (rawLimit.isPresent()) {
			String value = rawLimit.get().trim();
			try {
				max = Long.parseLong(value);
			}
			catch (NumberFormatException ex) {
				if (!POSITIVE_INTEGER.matcher(value).matches()) {
					throw invalidLimit(rawLimit.get());
				}
			}
			if (max < 1) {
				throw invalidLimit(rawLimit.get());
			}
		}
		return new StreamRequest(max, PageRequest.cursor(request));
	}

	private static BadRequestException invalidLimit(String value) {
		return new BadRequestException("Invalid parameter",
				"limit must be an integer of at least 1 for a stream, not '" + value + "'.");
	}

}
