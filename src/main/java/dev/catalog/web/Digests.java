package dev.catalog.web;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The message digests the service uses: SHA-256 for ETags and token hashes, SHA-1 where Redis
 * names scripts by it. Both are required of every Java platform, so their absence is a broken
 * JVM, not a condition to handle.
 */
public final class Digests {

	private Digests() {
	}

	public static byte[] sha256(byte[] input) {
		return digest("SHA-256", input);
	}

	public static byte[] sha1(byte[] input) {
		return digest("SHA-1", input);
	}

	private static byte[] digest(String algorithm, byte[] input) {
		try {
			return MessageDigest.getInstance(algorithm).digest(input);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(algorithm + " is required of every Java platform", ex);
		}
	}

}
