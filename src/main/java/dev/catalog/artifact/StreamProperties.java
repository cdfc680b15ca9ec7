package dev.catalog.artifact;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Streaming of artifact lists ({@code catalog.stream.*}).
 *
 * @param chunkSize artifacts read per SQL statement while streaming NDJSON or SSE
 */
@ConfigurationProperties("catalog.stream")
public record StreamProperties(Integer chunkSize) {

	public StreamProperties {
		chunkSize = (chunkSize != null) ? chunkSize : 500;
		if (chunkSize < 1 || chunkSize > 10_000) {
			throw new IllegalArgumentException("catalog.stream.chunk-size must be from 1 to 10000");
		}
	}

}
