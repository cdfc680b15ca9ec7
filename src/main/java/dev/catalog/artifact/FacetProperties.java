package dev.catalog.artifact;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The facet counts of the artifact list ({@code catalog.facets.*}), each from 1 to
 * {@value #MAX_TOP}.
 *
 * @param topTags how many tags the facets name: those on the most matching artifacts
 * @param topCollections how many collections the facets name: those holding the most matching
 * artifacts
 * @param loadTimeout how long a miss of the facets may take, in place of
 * {@code catalog.cache.load-timeout}: counting half of a million-artifact catalog takes seconds,
 * and a miss that always timed out would never be cached (PostgreSQL's
 * {@code catalog.db.statement-timeout} still bounds the statement)
 */
@ConfigurationProperties("catalog.facets")
record FacetProperties(@DefaultValue("20") int topTags, @DefaultValue("20") int topCollections,
		@DefaultValue("5s") Duration loadTimeout) {

	static final int MAX_TOP = 100;

	FacetProperties {
		requireTop("top-tags", topTags);
		requireTop("top-collections", topCollections);
		if (loadTimeout.isNegative() || loadTimeout.isZero()) {
			throw new IllegalArgumentException("catalog.facets.load-timeout must be positive, not " + loadTimeout);
		}
	}

	private static void requireTop(String name, int value) {
		if (value < 1 || value > MAX_TOP) {
			throw new IllegalArgumentException(
					"catalog.facets." + name + " must be from 1 to " + MAX_TOP + ", not " + value);
		}
	}

}
