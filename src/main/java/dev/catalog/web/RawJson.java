package dev.catalog.web;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * JSON that is already rendered (by PostgreSQL, in the statement that read it), to be written
 * into an answer as it is. What reads it trusts it to be one well-formed JSON value: it comes
 * from {@code row_to_json} and friends, never from request input.
 *
 * @param text the JSON text
 */
public record RawJson(String text) {

	/** The JSON text in UTF-8, as an answer carries it. */
	public byte[] utf8() {
		return this.text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * A JSON page of already rendered items: {@code {"items":[…],"nextCursor":…}}, the shape
	 * {@link Page} has when the JSON mapper writes it.
	 * @param items each item's JSON, in the list's order
	 * @param nextCursor the cursor of the next page, or {@code null} on the last page; cursors
	 * are URL-safe Base64 ({@link CursorCodec}), so they need no escaping
	 */
	public static RawJson page(Iterable<String> items, @Nullable String nextCursor) {
		StringBuilder json = new StringBuilder(16_384).append("{\"items\":[");
		boolean first = true;
		for (String item : items) {
			if (!first) {
				json.append(',');
			}
			json.append(item);
			first = false;
		}
		json.append("],\"nextCursor\":");
		if (nextCursor == null) {
			json.append("null");
		}
		else {
			json.append('"').append(nextCursor).append('"');
		}
		return new RawJson(json.append('}').toString());
	}

}
