package dev.catalog.web;

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

class CorsPropertiesTests {

	@Test
	void unsetMeansSameOriginOnlyWithAnHourOfPreflightCaching() {
		CorsProperties cors = bind(Map.of());
		assertThat(cors.allowedOrigins()).isEmpty();
		assertThat(cors.listedOrigins()).isEmpty();
		assertThat(cors.anyOriginReads()).isFalse();
		assertThat(cors.maxAge()).isEqualTo(Duration.ofHours(1));
	}

	@Test
	void originsBindCommaSeparatedFromTheirRelaxedNames() {
		CorsProperties cors = bind(Map.of("catalog.cors.allowed-origins",
				" https://app.example , http://localhost:5173/,*", "catalog.cors.max-age", "10m"));
		assertThat(cors.allowedOrigins()).containsExactly("https://app.example", "http://localhost:5173", "*");
		assertThat(cors.listedOrigins()).containsExactly("https://app.example", "http://localhost:5173");
		assertThat(cors.anyOriginReads()).isTrue();
		assertThat(cors.maxAge()).isEqualTo(Duration.ofMinutes(10));
	}

	@Test
	void anEmptyListIsSameOriginOnly() {
		assertThat(bind(Map.of("catalog.cors.allowed-origins", "")).allowedOrigins()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "app.example", "https://app.example/path", "https://*.example", "null",
			"https://user@app.example", "https://app.example?x=1" })
	void whatIsNoOriginStopsTheStart(String origin) {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("catalog.cors.allowed-origins", origin)))
			.havingRootCause()
			.isInstanceOf(IllegalArgumentException.class)
			.withMessageContaining("catalog.cors.allowed-origins");
	}

	@Test
	void aNegativeMaxAgeStopsTheStart() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("catalog.cors.max-age", "-1s")))
			.havingRootCause()
			.withMessageContaining("catalog.cors.max-age");
	}

	private static CorsProperties bind(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("catalog.cors",
				CorsProperties.class);
	}

}
