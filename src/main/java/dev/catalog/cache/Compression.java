package dev.catalog.cache;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPOutputStream;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.encoder.Encoder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compresses answers into the configured content codings: all of them when an answer is loaded
 * into the cache (so that hits only pick stored bytes), or the one a request negotiated when
 * the answer is not stored (the cache bypassed). Answers under {@code min-size} stay identity,
 * and so does a coding that did not make an answer smaller.
 * <p>
 * gzip is the JDK's zlib at its default level 6; br is brotli4j (the native Brotli library) at
 * quality 5. Quality 5 compresses a 50-artifact page (22 KB) as fast as gzip does (about 0.3 ms)
 * and 11 % smaller; quality 11, Brotli's default, is 9 % smaller again but takes about 60 ms,
 * which a miss would wait for on an event loop. If the native library cannot be loaded (another
 * platform, a temporary directory that cannot hold it), br is dropped with a warning and the
 * service answers in the other codings.
 */
class Compression {

	private static final Logger logger = LoggerFactory.getLogger(Compression.class);

	private static final Encoder.Parameters BROTLI = Encoder.Parameters.create(5);

	private final ContentCoding[] codings;

	private final long minSize;

	private final CacheMetrics metrics;

	/**
	 * @param brotliAvailable whether the native Brotli library can be used, asked only if br
	 * is configured: {@link #brotliLoads()}, which loads it (brotli4j's encoder does not)
	 */
	Compression(CompressionProperties properties, CacheMetrics metrics, BooleanSupplier brotliAvailable) {
		List<ContentCoding> codings = new ArrayList<>(properties.enabled() ? properties.encodings() : List.of());
		if (codings.contains(ContentCoding.BR) && !brotliAvailable.getAsBoolean()) {
			codings.remove(ContentCoding.BR);
			logger.warn("Answers are not compressed with br: the native Brotli library is not available; codings: {}",
					codings);
		}
		this.codings = codings.toArray(new ContentCoding[0]);
		this.minSize = properties.minSize().toBytes();
		this.metrics = metrics;
	}

	/** Whether the native Brotli library can be used here (it is loaded on the first call); never fails. */
	static boolean brotliLoads() {
		try {
			if (Brotli4jLoader.isAvailable()) {
				return true;
			}
			logger.warn("The native Brotli library did not load", Brotli4jLoader.getUnavailabilityCause());
		}
		catch (LinkageError ex) {
			logger.warn("The Brotli library did not load", ex);
		}
		return false;
	}

	/** {@code identity} and every configured coding of it that is smaller: what a cache entry stores. */
	Encoded encodeAll(byte[] identity) {
		return encode(identity, this.codings);
	}

	/**
	 * {@code identity} and, if {@code accepted} accepts one of the configured codings, that one:
	 * what an answer that is not stored is sent in.
	 */
	Encoded encodeFor(byte[] identity, AcceptEncoding accepted) {
		ContentCoding coding = accepted.choose(this.codings);
		return encode(identity, (coding == ContentCoding.IDENTITY) ? new ContentCoding[0] : new ContentCoding[] { coding });
	}

	private Encoded encode(byte[] identity, ContentCoding[] codings) {
		if (codings.length == 0 || identity.length < this.minSize) {
			return Encoded.identity(identity);
		}
		List<Encoded.Variant> variants = new ArrayList<>(codings.length + 1);
		variants.add(new Encoded.Variant(ContentCoding.IDENTITY, identity));
		for (ContentCoding coding : codings) {
			byte[] compressed = compress(coding, identity);
			if (compressed != null && compressed.length < identity.length) {
				variants.add(new Encoded.Variant(coding, compressed));
			}
		}
		return new Encoded(CacheEntry.etagOf(identity), variants);
	}

	/** {@code identity} in {@code coding}, or {@code null} if the compressor failed (logged). */
	private byte @Nullable [] compress(ContentCoding coding, byte[] identity) {
		long started = System.nanoTime();
		try {
			byte[] compressed = switch (coding) {
				case GZIP -> gzip(identity);
				case BR -> Encoder.compress(identity, BROTLI);
				case IDENTITY -> identity;
			};
			this.metrics.compressed(coding, compressed.length, System.nanoTime() - started, TimeUnit.NANOSECONDS);
			return compressed;
		}
		catch (IOException | RuntimeException | LinkageError ex) {
			// the answer is still served, in the codings that worked
			logger.warn("Compressing an answer with {} failed", coding.token(), ex);
			return null;
		}
	}

	private static byte[] gzip(byte[] identity) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream(identity.length / 4 + 64);
		try (GZIPOutputStream gzip = new GZIPOutputStream(out, 8192)) {
			gzip.write(identity);
		}
		return out.toByteArray();
	}

}
