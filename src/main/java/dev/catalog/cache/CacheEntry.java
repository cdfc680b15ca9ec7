package dev.catalog.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.catalog.web.Digests;
import org.jspecify.annotations.Nullable;

/**
 * One cached answer as it lives in Redis: a small fixed header (format, generation, times, load
 * time, ETag), a table of the content codings it is stored in, then the body in each of them
 * exactly as it goes on the wire, so a hit writes a slice of the stored bytes without parsing,
 * re-serialising or compressing anything. Layout (big-endian):
 *
 * <pre>
 * int   format (0xCA7A0002)
 * long  generation, createdAt, freshUntil, staleUntil, errorUntil
 * int   loadMillis
 * short ETag length, then the identity ETag (US-ASCII, quoted)
 * byte  n, the number of codings (at least 1)
 * n x   (byte coding id, int body length): identity first, then in order of preference
 * the n bodies, in the order of the table
 * </pre>
 *
 * Bytes of any other format (such as format 1, which held one identity body) decode to
 * {@code null}: an entry written by an older version is a miss, loaded again in this format.
 *
 * @param generation the catalog generation the answer was loaded in; an entry of any other
 * generation is never served
 * @param createdAt when it was loaded (epoch millis of the cache's clock)
 * @param freshUntil served as it is until then
 * @param staleUntil then served at once while refreshed in the background, until then
 * @param errorUntil served while PostgreSQL fails, until then
 * @param loadMillis how long the load took: XFetch's delta
 * @param etag strong ETag of the identity body, quoted; see {@link #etag(ContentCoding)}
 * @param data the encoded entry
 * @param table where the coding table (its count byte) starts in {@code data}
 */
record CacheEntry(long generation, long createdAt, long freshUntil, long staleUntil, long errorUntil,
		int loadMillis, String etag, byte[] data, int table) {

	private static final int FORMAT = 0xCA7A0002;

	private static final int FIXED_HEADER = 4 + 8 * 5 + 4 + 2;

	private static final int TABLE_ROW = 1 + 4;

	static CacheEntry create(long generation, long now, CacheProperties properties, int loadMillis, Encoded answer) {
		long freshUntil = now + properties.fresh().toMillis();
		return encode(generation, now, freshUntil, freshUntil + properties.stale().toMillis(),
				freshUntil + properties.retention().toMillis(), loadMillis, answer);
	}

	/**
	 * An answer that is not stored (the cache bypassed): laid out like a stored one, with no
	 * times.
	 */
	static CacheEntry uncached(Encoded answer) {
		return encode(0, 0, 0, 0, 0, 0, answer);
	}

	private static CacheEntry encode(long generation, long now, long freshUntil, long staleUntil, long errorUntil,
			int loadMillis, Encoded answer) {
		byte[] tag = answer.etag().getBytes(StandardCharsets.US_ASCII);
		int size = FIXED_HEADER + tag.length + 1;
		for (Encoded.Variant variant : answer.variants()) {
			size += TABLE_ROW + variant.body().length;
		}
		ByteBuffer buffer = ByteBuffer.allocate(size);
		buffer.putInt(FORMAT)
			.putLong(generation)
			.putLong(now)
			.putLong(freshUntil)
			.putLong(staleUntil)
			.putLong(errorUntil)
			.putInt(loadMillis)
			.putShort((short) tag.length)
			.put(tag)
			.put((byte) answer.variants().size());
		for (Encoded.Variant variant : answer.variants()) {
			buffer.put(variant.coding().id()).putInt(variant.body().length);
		}
		for (Encoded.Variant variant : answer.variants()) {
			buffer.put(variant.body());
		}
		return new CacheEntry(generation, now, freshUntil, staleUntil, errorUntil, loadMillis, answer.etag(),
				buffer.array(), FIXED_HEADER + tag.length);
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
		int table = FIXED_HEADER + tagLength;
		if (tagLength < 0 || !tableFits(data, table)) {
			return null;
		}
		String etag = new String(data, FIXED_HEADER, tagLength, StandardCharsets.US_ASCII);
		return new CacheEntry(generation, createdAt, freshUntil, staleUntil, errorUntil, loadMillis, etag, data,
				table);
	}

	/** Whether a well-formed coding table starting with identity, and its bodies, fill {@code data}. */
	private static boolean tableFits(byte[] data, int table) {
		if (table >= data.length) {
			return false;
		}
		int count = data[table];
		long end = table + 1L + (long) count * TABLE_ROW;
		if (count < 1 || end > data.length || data[table + 1] != ContentCoding.IDENTITY.id()) {
			return false;
		}
		for (int i = 0; i < count; i++) {
			int row = table + 1 + i * TABLE_ROW;
			int length = intAt(data, row + 1);
			if (ContentCoding.ofId(data[row]) == null || length < 0) {
				return false;
			}
			end += length;
		}
		return end == data.length;
	}

	/** How many codings the body is stored in, identity included. */
	int codingCount() {
		return this.data[this.table];
	}

	/** The {@code index}th coding of the table: identity at 0, then in order of preference. */
	ContentCoding coding(int index) {
		ContentCoding coding = ContentCoding.ofId(this.data[row(index)]);
		if (coding == null) {
			throw new IllegalStateException("Checked when decoded");
		}
		return coding;
	}

	/** The coding among those stored that {@code accepted} prefers (identity if none). */
	ContentCoding negotiate(AcceptEncoding accepted) {
		ContentCoding chosen = ContentCoding.IDENTITY;
		for (int i = 1; i < codingCount(); i++) {
			chosen = accepted.prefer(chosen, coding(i));
		}
		return chosen;
	}

	/**
	 * The body in {@code coding}, a slice of {@link #data()}, not copied.
	 * @throws IllegalArgumentException if the body is not stored in {@code coding}
	 */
	ByteBuffer body(ContentCoding coding) {
		int count = codingCount();
		int offset = row(count);
		for (int i = 0; i < count; i++) {
			int length = intAt(this.data, row(i) + 1);
			if (this.data[row(i)] == coding.id()) {
				return ByteBuffer.wrap(this.data, offset, length).slice();
			}
			offset += length;
		}
		throw new IllegalArgumentException("Not stored in " + coding.token());
	}

	/** The strong ETag of the body in {@code coding}: the identity ETag with the coding's suffix. */
	String etag(ContentCoding coding) {
		if (coding == ContentCoding.IDENTITY) {
			return this.etag;
		}
		return this.etag.substring(0, this.etag.length() - 1) + coding.etagSuffix() + "\"";
	}

	/**
	 * Whether an {@code If-None-Match} value names this answer: {@code *}, or the ETag of any
	 * content coding (weak or strong), since each stands for the same content.
	 */
	boolean matches(String ifNoneMatch) {
		int start = 0;
		while (start <= ifNoneMatch.length()) {
			int end = ifNoneMatch.indexOf(',', start);
			if (end < 0) {
				end = ifNoneMatch.length();
			}
			if (matchesTag(ifNoneMatch.substring(start, end).trim())) {
				return true;
			}
			start = end + 1;
		}
		return false;
	}

	private boolean matchesTag(String candidate) {
		if (candidate.equals("*")) {
			return true;
		}
		String tag = candidate.startsWith("W/") ? candidate.substring(2) : candidate;
		// "<opaque><suffix>" where the identity ETag is "<opaque>"
		int opaque = this.etag.length() - 1;
		if (tag.length() < opaque + 1 || !tag.startsWith(this.etag.substring(0, opaque)) || !tag.endsWith("\"")) {
			return false;
		}
		String suffix = tag.substring(opaque, tag.length() - 1);
		for (ContentCoding coding : ContentCoding.values()) {
			if (coding.etagSuffix().equals(suffix)) {
				return true;
			}
		}
		return false;
	}

	/** A stable name for this version of the entry, used to lock its refresh. */
	String version() {
		return this.generation + "." + this.createdAt + "." + this.etag.replace("\"", "");
	}

	private int row(int index) {
		return this.table + 1 + index * TABLE_ROW;
	}

	private static int intAt(byte[] data, int offset) {
		return ((data[offset] & 0xff) << 24) | ((data[offset + 1] & 0xff) << 16) | ((data[offset + 2] & 0xff) << 8)
				| (data[offset + 3] & 0xff);
	}

}
