package dev.catalog.embedded;

import java.time.Duration;

import dev.catalog.CatalogIntegrationTest;
import dev.catalog.TestCatalog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

@CatalogIntegrationTest
class CatalogSeederIntegrationTests {

	/** A digest of every row the seeder writes, in a fixed order. */
	private static final String CATALOG_DIGEST = """
			SELECT md5(
			  (SELECT string_agg(id || name || type || description || metadata::text || created_at, ',' ORDER BY id) FROM artifacts)
			  || (SELECT string_agg(artifact_id || tag, ',' ORDER BY artifact_id, tag) FROM artifact_tags)
			  || (SELECT string_agg(artifact_id || version || released_at, ',' ORDER BY artifact_id, version) FROM artifact_versions)
			  || (SELECT string_agg(id || name || artifact_count, ',' ORDER BY id) FROM collections)
			  || (SELECT string_agg(collection_id || ':' || artifact_id || added_at, ',' ORDER BY collection_id, artifact_id) FROM collection_artifacts))
			""";

	private static final String MISCOUNTED_COLLECTIONS = """
			SELECT count(*) FROM collections c
			 WHERE c.artifact_count <> (SELECT count(*) FROM collection_artifacts ca WHERE ca.collection_id = c.id)
			""";

	@Autowired
	TestCatalog catalog;

	@Autowired
	CatalogSeeder seeder;

	@BeforeEach
	void emptyCatalog() {
		this.catalog.reset();
	}

	@Test
	void sameSettingsSeedTheSameCatalog() {
		SeedProperties settings = new SeedProperties(3000, 40, 2.0, 0.5);
		StepVerifier.create(this.seeder.seed(settings)).expectComplete().verify(Duration.ofSeconds(60));
		String first = digest();
		this.catalog.reset();
		StepVerifier.create(this.seeder.seed(settings)).expectComplete().verify(Duration.ofSeconds(60));

		assertThat(digest()).isEqualTo(first);
	}

	@Test
	void seededCatalogHasTheRequestedShapeAndExactCounts() {
		StepVerifier.create(this.seeder.seed(new SeedProperties(4000, 25, 2.0, 0.5)))
			.expectComplete()
			.verify(Duration.ofSeconds(60));

		assertThat(this.catalog.count("SELECT count(*) FROM artifacts")).isEqualTo(4000);
		assertThat(this.catalog.count("SELECT count(*) FROM collections")).isEqualTo(25);
		assertThat(this.catalog.count("SELECT count(*) FROM collection_artifacts")).isEqualTo(8000);
		assertThat(this.catalog.count(MISCOUNTED_COLLECTIONS)).isZero();
		long hot = this.catalog.count("SELECT max(artifact_count) FROM collections");
		assertThat(hot).isBetween(1900L, 2100L);
	}

	@Test
	void seedIfEmptyLeavesAnExistingCatalogAlone() {
		this.catalog.seed(10, 3);
		StepVerifier.create(this.seeder.seedIfEmpty()).expectNext(false).expectComplete().verify(Duration.ofSeconds(30));
		assertThat(this.catalog.count("SELECT count(*) FROM artifacts")).isEqualTo(10);
	}

	private String digest() {
		return this.catalog.database().sql(CATALOG_DIGEST).map((row) -> row.get(0, String.class)).one().block();
	}

}
