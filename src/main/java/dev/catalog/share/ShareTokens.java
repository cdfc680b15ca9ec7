package dev.catalog.share;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Share link tokens: 32 bytes (256 bits) from {@link SecureRandom}, base64url without padding
 * (43 characters, safe in a path). Whoever has the token can read the page, so it must not be
 * guessable; it is the only thing a share page's URL carries.
 */
final class ShareTokens {

	static final String PAGE_PREFIX = "/s/";

	private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private ShareTokens() {
	}

	static String next() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return ENCODER.encodeToString(bytes);
	}

	/** Whether {@code token} could be one of ours: anything else names no link, unread. */
	static boolean wellFormed(String token) {
		return SHAPE.matcher(token).matches();
	}

}
