package dev.catalog.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer tokens that authorise writes. Only their SHA-256 hashes are kept; a presented
 * token is hashed and compared with every known hash in constant time, so neither the
 * comparison nor the position of a match in the list leaks through timing.
 */
public final class ApiTokens {

	private static final Logger logger = LoggerFactory.getLogger(ApiTokens.class);

	private final List<byte[]> hashes;

	private ApiTokens(List<byte[]> hashes) {
		this.hashes = hashes;
	}

	/**
	 * The configured tokens; with none configured, a generated token when {@code generate}
	 * (the embedded default, logged once at WARN, as Spring Boot logs a generated password),
	 * otherwise none at all, so every write is refused.
	 */
	public static ApiTokens of(List<String> tokens, boolean generate) {
		if (!tokens.isEmpty()) {
			return new ApiTokens(tokens.stream().map(ApiTokens::sha256).toList());
		}
		if (!generate) {
			logger.warn("No API tokens configured (catalog.api-tokens): every write will be refused with 401.");
			return new ApiTokens(List.of());
		}
		byte[] random = new byte[32];
		new SecureRandom().nextBytes(random);
		String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		logger.warn(String.format("%n%nUsing generated API token: %s%n%nThis generated token is for development use "
				+ "only. Set catalog.api-tokens before running in production.%n", token));
		return new ApiTokens(List.of(sha256(token)));
	}

	/** Whether any write can be authorised at all. */
	public boolean configured() {
		return !this.hashes.isEmpty();
	}

	/** Whether the token is one of ours; compares against every hash, whatever matches. */
	public boolean accepts(String token) {
		byte[] presented = sha256(token);
		boolean match = false;
		for (byte[] hash : this.hashes) {
			match |= MessageDigest.isEqual(hash, presented);
		}
		return match;
	}

	private static byte[] sha256(String token) {
		return Digests.sha256(token.getBytes(StandardCharsets.UTF_8));
	}

}
