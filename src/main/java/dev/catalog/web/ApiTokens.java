package dev.catalog.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bearer tokens that authorise writes. Only their SHA-256 hashes are kept; a presented
 * token is hashed and compared with every known hash in constant time
 * ({@link MessageDigest#isEqual}, over every hash whatever matches), so neither the comparison
 * nor the position of a match in the list leaks through timing.
 * <p>
 * Tokens come from configuration ({@code catalog.api-tokens}, fixed for the life of the
 * process) and from a token file ({@code catalog.api-tokens-file}: one token a line, blank lines
 * and lines starting with {@code #} ignored), which is re-read when its modification time or
 * size changes, looked at no more than once every {@value #FILE_CHECK_MILLIS} ms: tokens are
 * rotated by rewriting the file (write a new file and rename it over the old one, so that no
 * reader sees half of it), without a restart. A file that cannot be read keeps the tokens last
 * read from it (logged at WARN); a file that is gone removes them.
 */
public final class ApiTokens {

	private static final Logger logger = LoggerFactory.getLogger(ApiTokens.class);

	static final long FILE_CHECK_MILLIS = 1000;

	private final List<byte[]> configured;

	private final @Nullable Path file;

	private volatile FileTokens fromFile = FileTokens.NONE;

	private volatile long nextCheck = System.nanoTime();

	private ApiTokens(List<byte[]> configured, @Nullable Path file) {
		this.configured = configured;
		this.file = file;
		if (file != null) {
			reload();
		}
	}

	/**
	 * The configured tokens; with none configured, a generated token when {@code generate}
	 * (the embedded default, logged once at WARN, as Spring Boot logs a generated password),
	 * otherwise none at all, so every write is refused.
	 */
	public static ApiTokens of(List<String> tokens, boolean generate) {
		return of(tokens, null, generate);
	}

	/**
	 * The configured tokens and those of {@code file} (re-read on change); a token is generated
	 * only where neither is configured and {@code generate}.
	 */
	public static ApiTokens of(List<String> tokens, @Nullable Path file, boolean generate) {
		if (!tokens.isEmpty() || file != null) {
			return new ApiTokens(tokens.stream().map(ApiTokens::sha256).toList(), file);
		}
		if (!generate) {
			logger.warn("No API tokens configured (catalog.api-tokens): every write will be refused with 401.");
			return new ApiTokens(List.of(), null);
		}
		byte[] random = new byte[32];
		new SecureRandom().nextBytes(random);
		String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
		logger.warn(String.format("%n%nUsing generated API token: %s%n%nThis generated token is for development use "
				+ "only. Set catalog.api-tokens before running in production.%n", token));
		return new ApiTokens(List.of(sha256(token)), null);
	}

	/** Whether any write can be authorised at all. */
	public boolean configured() {
		return !this.configured.isEmpty() || !current().hashes().isEmpty();
	}

	/** Whether the token is one of ours; compares against every hash, whatever matches. */
	public boolean accepts(String token) {
		byte[] presented = sha256(token);
		boolean match = false;
		for (byte[] hash : this.configured) {
			match |= MessageDigest.isEqual(hash, presented);
		}
		for (byte[] hash : current().hashes()) {
			match |= MessageDigest.isEqual(hash, presented);
		}
		return match;
	}

	private FileTokens current() {
		if (this.file != null && System.nanoTime() - this.nextCheck >= 0) {
			synchronized (this) {
				if (System.nanoTime() - this.nextCheck >= 0) {
					this.nextCheck = System.nanoTime() + FILE_CHECK_MILLIS * 1_000_000;
					reload();
				}
			}
		}
		return this.fromFile;
	}

	private void reload() {
		Path path = Objects.requireNonNull(this.file);
		try {
			BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
			long modified = attributes.lastModifiedTime().toMillis();
			if (modified == this.fromFile.modified() && attributes.size() == this.fromFile.size()
					&& this.fromFile != FileTokens.NONE) {
				return;
			}
			List<byte[]> hashes = Files.readAllLines(path, StandardCharsets.UTF_8)
				.stream()
				.map(String::strip)
				.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
				.map(ApiTokens::sha256)
				.toList();
			this.fromFile = new FileTokens(hashes, modified, attributes.size());
			logger.info("Read {} API token(s) from {}", hashes.size(), path);
		}
		catch (NoSuchFileException ex) {
			if (this.fromFile != FileTokens.NONE) {
				logger.warn("API token file {} is gone: its tokens no longer authorise writes", path);
			}
			this.fromFile = FileTokens.NONE;
		}
		catch (IOException ex) {
			logger.warn("Could not read the API token file {}; keeping the tokens last read from it", path, ex);
		}
	}

	private static byte[] sha256(String token) {
		return Digests.sha256(token.getBytes(StandardCharsets.UTF_8));
	}

	private record FileTokens(List<byte[]> hashes, long modified, long size) {

		static final FileTokens NONE = new FileTokens(List.of(), -1, -1);

	}

}
