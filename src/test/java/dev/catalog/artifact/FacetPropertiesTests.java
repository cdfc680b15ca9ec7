package dev.catalog.artifact;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class FacetPropertiesTests {

	@Test
	void defaultsAreTwentyTagsAndTwentyCollections() {
		FacetProperties properties = bind(Map.of());
		assertThat(properties.topTags()).isEqualTo(20);
		assertThat(properties.topCollections()).isEqualTo(20);
		assertThat(properties.loadTimeout()).isEqualTo(Duration.ofSeconds(5));
	}

	@Test
	void aLoadTimeoutThatIsNotPositiveIsRejected() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("catalog.facets.load-timeout", "0s")))
			.havingRootCause()
			.withMessage("catalog.facets.load-timeout must be positive, not PT0S");
	}

	@Test
	void bothBindFromCatalogFacetsInRelaxedForm() {
		FacetProperties properties = bind(Map.of("catalog.facets.top-tags", "5", "catalog.facets.topCollections", "100"));
		assertThat(properties.topTags()).isEqualTo(5);
		assertThat(properties.topCollections()).isEqualTo(100);
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "101", "-1" })
	void aTopOutsideOneToAHundredIsRejectedNamingTheProperty(String value) {
		assertThatExceptionOfType(BindException.class).isThrownBy(() -> bind(Map.of("catalog.facets.top-tags", value)))
			.havingRootCause()
			.withMessage("catalog.facets.top-tags must be from 1 to 100, not " + value);
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("catalog.facets.top-collections", value)))
			.havingRootCause()
			.withMessage("catalog.facets.top-collections must be from 1 to 100, not " + value);
	}

	@Test
	void aTopThatIsNotANumberIsRejected() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("catalog.facets.top-tags", "many")));
	}

	private static FacetProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("catalog.facets",
				FacetProperties.class);
	}

}
