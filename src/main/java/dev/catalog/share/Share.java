package dev.catalog.share;

import java.time.Instant;

/**
 * A share link of a collection, as the API shows it.
 *
 * @param token the link's secret, 43 base64url characters
 * @param url the share page's path, {@code /s/{token}}
 * @param createdAt when it was created
 */
public record Share(String token, String url, Instant createdAt) {

	static Share of(String token, Instant createdAt) {
		return new Share(token, ShareTokens.PAGE_PREFIX + token, createdAt);
	}

}
