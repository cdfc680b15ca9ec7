package dev.catalog.web;

import org.jspecify.annotations.Nullable;

import org.springframework.util.StringUtils;

/**
 * What text a write may carry. Text is measured in Unicode code points, as PostgreSQL's
 * {@code char_length} does, and must be storable: no NUL (PostgreSQL text cannot hold it), no
 * unpaired surrogate (it could only be stored mangled). A line (a name, a tag) also has no
 * control characters and, when it may not be empty, is not blank.
 */
final class TextRules {

	private TextRules() {
	}

	/**
	 * Why {@code text} is refused, as the end of a sentence that starts with the field
	 * ("must not contain NUL characters"), or {@code null} if it is fine.
	 * @param min the fewest code points, 0 for none
	 * @param max the most code points
	 * @param line whether it must be a single line
	 */
	static @Nullable String problem(String text, int min, int max, boolean line) {
		int length = 0;
		for (int i = 0; i < text.length();) {
			int codePoint = text.codePointAt(i);
			if (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE) {
				return "must be valid Unicode (it has an unpaired surrogate)";
			}
			if (codePoint == 0) {
				return "must not contain NUL characters";
			}
			if (line && Character.isISOControl(codePoint)) {
				return "must not contain control characters";
			}
			length++;
			i += Character.charCount(codePoint);
		}
		if (line && min > 0 && !StringUtils.hasText(text)) {
			return (length == 0) ? "must not be empty" : "must not be blank";
		}
		if (length < min) {
			return "must not be empty";
		}
		if (length > max) {
			return "must be at most " + max + " characters, not " + length;
		}
		return null;
	}

}
