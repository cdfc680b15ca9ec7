package dev.catalog.cache;

import java.util.HashSet;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Compression of cached answers ({@code catalog.compression.*}).
 *
 * @param enabled whether answers are compressed at all; {@code false} stores and sends
 * identity only
 * @param encodings the content codings every answer of at least {@code minSize} is stored in
 * besides identity ({@code br}, {@code gzip}), in order of preference: a client that accepts
 * several equally gets the first
 * @param minSize answers smaller than this are stored and sent in identity only: compressing
 * them saves a few bytes for the cost of a second copy and a second ETag
 */
@ConfigurationProperties("catalog.compression")
record CompressionProperties(Boolean enabled, List<ContentCoding> encodings, DataSize minSize) {

	CompressionProperties {
		enabled = (enabled != null) ? enabled : true;
		encodings = (encodings != null) ? List.copyOf(encodings) : List.of(ContentCoding.BR, ContentCoding.GZIP);
		minSize = (minSize != null) ? minSize : DataSize.ofKilobytes(1);
		if (encodings.contains(ContentCoding.IDENTITY)) {
			throw new IllegalArgumentException(
					"catalog.compression.encodings names compressed codings only; identity is always stored");
		}
		if (new HashSet<>(encodings).size() != encodings.size()) {
			throw new IllegalArgumentException("catalog.compression.encodings names a coding twice: " + encodings);
		}
		if (minSize.isNegative()) {
			throw new IllegalArgumentException("catalog.compression.min-size must not be negative, not " + minSize);
		}
	}

}
