package dev.catalog.cache;

import org.jspecify.annotations.Nullable;

/**
 * The content codings (RFC 9110 §8.4.1) a cached answer can be stored and sent in.
 * {@link #IDENTITY} is the answer as rendered; every other coding has its own strong ETag, the
 * identity ETag with {@link #etagSuffix()} before the closing quote, since it is a different
 * sequence of bytes (RFC 9110 §8.8.3).
 */
enum ContentCoding {

	IDENTITY("identity", 0, ""),

	GZIP("gzip", 1, "-gz"),

	BR("br", 2, "-br");

	private static final ContentCoding[] ALL = values();

	private final String token;

	private final byte id;

	private final String etagSuffix;

	ContentCoding(String token, int id, String etagSuffix) {
		this.token = token;
		this.id = (byte) id;
		this.etagSuffix = etagSuffix;
	}

	/** The name in {@code Accept-Encoding} and {@code Content-Encoding}. */
	String token() {
		return this.token;
	}

	/** How the coding is named in a stored entry: fixed, whatever the order of the constants. */
	byte id() {
		return this.id;
	}

	/** What the ETag of this coding adds to the identity ETag's opaque part. */
	String etagSuffix() {
		return this.etagSuffix;
	}

	/** The coding stored as {@code id}, or {@code null} if there is none (an entry of another version). */
	static @Nullable ContentCoding ofId(byte id) {
		for (ContentCoding coding : ALL) {
			if (coding.id == id) {
				return coding;
			}
		}
		return null;
	}

	/**
	 * The coding named {@code length} characters of {@code text} from {@code start}, ignoring
	 * case, or {@code null}; {@code x-gzip} is {@code gzip} (RFC 9110 §8.4.1.3).
	 */
	static @Nullable ContentCoding ofToken(String text, int start, int length) {
		for (ContentCoding coding : ALL) {
			if (length == coding.token.length() && text.regionMatches(true, start, coding.token, 0, length)) {
				return coding;
			}
		}
		if (length == 6 && text.regionMatches(true, start, "x-gzip", 0, 6)) {
			return GZIP;
		}
		return null;
	}

}
