package dev.catalog.cache;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class CachePropertiesTests {

	@Test
	void defaultsAreSecondsFreshMinutesStaleAndAnHourOnError() {
		CacheProperties properties = new CacheProperties(null, null, null, null, null, null, null, null, null, null,
				null, null, null, null, null);
		assertThat(properties.enabled()).isTrue();
		assertThat(properties.keyPrefix()).isEqualTo("catalog:");
		assertThat(properties.cacheControl()).isEqualTo("max-age=5, stale-while-revalidate=300, stale-if-error=3600");
		assertThat(properties.loadTimeout()).isLessThan(Duration.ofSeconds(2));
	}

	@Test
	void aFreshWindowOfZeroIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CacheProperties(null, Duration.ZERO, null, null, null, null, null, null, null, null,
					null, null, null, null, null))
			.withMessageContaining("catalog.cache.fresh");
	}

	@Test
	void aNegativeEarlyRefreshBetaIsRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new CacheProperties(null, null, null, null, null, null, null, null, -1.0, null, null,
					null, null, null, null))
			.withMessageContaining("early-refresh-beta");
	}

}
