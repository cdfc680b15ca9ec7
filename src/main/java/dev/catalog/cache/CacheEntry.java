package dev.catalog.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.catalog.web.Digests;
import org.jspecify.annotations.Nullable;

/**
 * One cached answer as it lives in Redis: a small fixed header (format, generation, times, load
 * time, ETag) followed by the response body exactly as it goes on the wire, so a hit writes the
 * stored bytes without parsing or re-serialising them.
 *
 * @param generation the catalog generation the answer was loaded in; an entry of any other
 * generation is never served
 * @param createdAt when it was loaded (epoch millis of the cache's clock)
 * @param freshUntil served as it is until then
 * @param staleUntil then served at once while refreshed in the background, until then
 * @param errorUntil served while PostgreSQL fails, until then
 * @param loadMillis how long the load took: XFetch's delta
 * @param etag strong ETag of the body, quoted
 * @param data the encoded entry (header and body); the body alone for an {@link #uncached} answer
 * @param bodyOffset where the body starts in {@code data}
 */
record CacheEntry(long generation, long createdAt, long freshUntil, long staleUntil, long errorUntil,
		int loadMillis, String etag, byte[] data, int bodyOffset) {

	private static final int FORMAT = 0xCA7A0001;

	private static final int FIXED_HEADER = 4 + 8 * 5 + 4 + 2;

	static CacheEntry create(long generation, long now, CacheProperties properties, int loadMillis, String etag,
			byte[] body) {
		long freshUntil = now + properties.fresh().toMillis();
		long staleUntil = freshUntil + properties.stale().toMillis();
		long errorUntil = freshUntil + properties.retention().toMillis();
		byte[] tag = etag.getBytes(StandardCharsets.US_ASCII);
		ByteBuffer buffer = ByteBuffer.allocate(FIXED_HEADER + tag.length + body.length);
		buffer.putInt(FORMAT)
			.putLong(generation)
			.putLong(now)
			.putLong(freshUntil)
			.putLong(staleUntil)
			.putLong(errorUntil)
			.putInt(loadMillis)
			.putShort((short) tag.length)
			.put(tag)
			.put(body);
		return new CacheEntry(generation, now, freshUntil, staleUntil, errorUntil, loadMillis, etag, buffer.array(),
				FIXED_HEADER + tag.length);
	}

	/**
	 * An answer that is not stored (the cache bypassed): no header and no times, only its ETag
	 * and its body (all of {@code data}, not copied).
	 */
	static CacheEntry uncached(byte[] body) {
		return new CacheEntry(0, 0, 0, 0, 0, 0, etagOf(body), body, 0);
	}

	/** A strong ETag of {@code body}, quoted: 22 characters of its SHA-256 digest. */
	static String etagOf(byte[] body) {
		byte[] digest = Digests.sha256(body);
		return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
	}

	/** The entry stored in {@code data}, or {@code null} if it is not an entry of this format. */
	static @Nullable CacheEntry decode(byte @Nullable [] data) {
		if (data == null || data.length < FIXED_HEADER) {
			return null;
		}
		ByteBuffer buffer = ByteBuffer.wrap(data);
		if (buffer.getInt() != FORMAT) {
			return null;
		}
		long generation = buffer.getLong();
		long createdAt = buffer.getLong();
		long freshUntil = buffer.getLong();
		long staleUntil = buffer.getLong();
		long errorUntil = buffer.getLong();
		int loadMillis = buffer.getInt();
		int tagLength = buffer.getShort();
		if (tagLength < 0 || FIXED_HEADER + tagLength > data.length) {
			return null;
		}
		String etag = new String(data, FIXED_HEADER, tagLength, StandardCharsets.US_ASCII);
		return new CacheEntry(generation, createdAt, freshUntil, staleUntil, errorUntil, loadMillis, etag, data,
				FIXED_HEADER + tagLength);
	}

	/** The body, without copying. */
	ByteBuffer body() {
		return ByteBuffer.wrap(this.data, this.bodyOffset, this.data.length - this.bodyOffset).slice();
	}

	int bodyLength() {
		return this.data.length - this.bodyOffset;
	}

	/** A stable name for this version of the entry, used to lock its refresh. */
	String version() {
		return this.generation + "." + this.createdAt + "." + this.etag.replace("\"", "");
	}

}
