package dev.catalog.embedded;

import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SeedPropertiesTests {

	@Test
	void unsetSettingsSeedNothingIntoAnExternalDatabase() {
		SeedProperties seed = bind(Map.of());
		assertThat(seed.artifacts()).isZero();
		assertThat(seed.collections()).isEqualTo(50);
		assertThat(seed.membershipsPerArtifact()).isEqualTo(2.0);
		assertThat(seed.hotCollectionShare()).isEqualTo(0.5);
	}

	@Test
	void moreMembershipsPerArtifactThanOtherCollectionsAreRefused() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("catalog.seed.collections", "3", "catalog.seed.memberships-per-artifact", "3")))
			.withRootCauseInstanceOf(IllegalArgumentException.class);
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("catalog.seed.hot-collection-share", "1.5")))
			.withRootCauseInstanceOf(IllegalArgumentException.class);
	}

	private static SeedProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("catalog.seed",
				SeedProperties.class);
	}

}
