package dev.catalog.embedded;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Size and shape of the generated catalog ({@code catalog.seed.*}).
 *
 * @param artifacts artifacts to generate into an empty catalog; 1000 on the embedded default,
 * 0 (no seeding) against an external database
 * @param collections collections to generate
 * @param membershipsPerArtifact average memberships per artifact
 * @param hotCollectionShare share of all artifacts that sit in the one hot collection
 */
@ConfigurationProperties("catalog.seed")
public record SeedProperties(@DefaultValue("0") int artifacts, @DefaultValue("50") int collections,
		@DefaultValue("2") double membershipsPerArtifact, @DefaultValue("0.5") double hotCollectionShare) {

	public SeedProperties {
		if (artifacts < 0 || collections < 0) {
			throw new IllegalArgumentException("catalog.seed.artifacts and catalog.seed.collections must be >= 0");
		}
		// every membership of an artifact beyond the first goes to a distinct non-hot collection
		if (membershipsPerArtifact < 0 || (collections > 0 && membershipsPerArtifact > Math.max(1, collections - 1))) {
			throw new IllegalArgumentException(
					"catalog.seed.memberships-per-artifact must be between 0 and catalog.seed.collections - 1");
		}
		if (hotCollectionShare < 0 || hotCollectionShare > 1) {
			throw new IllegalArgumentException("catalog.seed.hot-collection-share must be between 0 and 1");
		}
	}

}
