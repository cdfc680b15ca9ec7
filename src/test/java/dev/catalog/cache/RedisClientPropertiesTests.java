package dev.catalog.cache;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class RedisClientPropertiesTests {

	@Test
	void defaultsAreASecondPerCommandAndHalfASecondToConnect() {
		RedisClientProperties properties = bind(Map.of());
		assertThat(properties.commandTimeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(properties.connectTimeout()).isEqualTo(Duration.ofMillis(500));
	}

	@Test
	void timeoutsBindFromCatalogRedis() {
		RedisClientProperties properties = bind(
				Map.of("catalog.redis.command-timeout", "5s", "catalog.redis.connect-timeout", "250ms"));
		assertThat(properties.commandTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(properties.connectTimeout()).isEqualTo(Duration.ofMillis(250));
	}

	@Test
	void aCommandTimeoutOfZeroIsRejected() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("catalog.redis.command-timeout", "0s")))
			.havingRootCause()
			.withMessageContaining("catalog.redis.command-timeout");
	}

	private static RedisClientProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties))
			.bindOrCreate("catalog.redis", RedisClientProperties.class);
	}

}
