package dev.catalog.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import org.springframework.http.server.reactive.ServerHttpRequest;

/**
 * Requests an instance sends itself (the cache warm-up before it reports ready) carry
 * {@link #HEADER} with a secret made when the instance started, which nothing outside the
 * process knows: per-client rate limits let them through. Without it, thousands of warm-up
 * requests from one address would be refused after the first burst, and would use up the
 * bucket that other clients of that address share.
 */
public final class SelfRequests {

	/** The request header that carries the secret. */
	public static final String HEADER = "X-Catalog-Self-Request";

	private final byte[] secret;

	public SelfRequests() {
		byte[] random = new byte[32];
		new SecureRandom().nextBytes(random);
		this.secret = Base64.getUrlEncoder().withoutPadding().encode(random);
	}

	/** The value of {@link #HEADER} on a request to this instance itself. */
	public String secret() {
		return new String(this.secret, StandardCharsets.US_ASCII);
	}

	/** Whether {@code request} was sent by this instance to itself (compared in constant time). */
	boolean isSelf(ServerHttpRequest request) {
		String presented = request.getHeaders().getFirst(HEADER);
		return presented != null && MessageDigest.isEqual(presented.getBytes(StandardCharsets.US_ASCII), this.secret);
	}

}
