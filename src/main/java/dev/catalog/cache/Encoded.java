package dev.catalog.cache;

import java.util.List;

/**
 * An answer in each content coding it is stored or sent in: identity first, then compressed
 * codings in order of preference, each smaller than identity (a coding that did not make the
 * answer smaller is left out).
 *
 * @param etag strong ETag of the identity bytes, quoted; every coding's ETag derives from it
 * @param variants identity and the compressed codings
 */
record Encoded(String etag, List<Variant> variants) {

	Encoded {
		if (variants.isEmpty() || variants.get(0).coding() != ContentCoding.IDENTITY) {
			throw new IllegalArgumentException("The first variant must be identity");
		}
	}

	/** The answer in identity alone. */
	static Encoded identity(byte[] body) {
		return new Encoded(CacheEntry.etagOf(body), List.of(new Variant(ContentCoding.IDENTITY, body)));
	}

	/** The answer as rendered. */
	byte[] identity() {
		return this.variants.get(0).body();
	}

	/** The answer's bytes in one content coding. */
	record Variant(ContentCoding coding, byte[] body) {

	}

}
