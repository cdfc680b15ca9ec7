package dev.catalog.db;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class DatabasePropertiesTests {

	@Test
	void unsetSettingsTakeTheDocumentedDefaults() {
		DatabaseProperties database = bind(Map.of(), "catalog.db", DatabaseProperties.class);
		assertThat(database.statementTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(database.preparedStatementCacheQueries()).isEqualTo(256);
		assertThat(database.sharedEventLoops()).isFalse();
		StatementProperties statements = bind(Map.of(), "catalog.statements", StatementProperties.class);
		assertThat(statements.serverTiming()).isTrue();
		assertThat(statements.warnPerRequest()).isEqualTo(5);
		assertThat(statements.slowThreshold()).isEqualTo(Duration.ofMillis(250));
	}

	@Test
	void settingsBindFromTheirRelaxedNames() {
		DatabaseProperties database = bind(Map.of("catalog.db.statement-timeout", "0",
				"catalog.db.prepared-statement-cache-queries", "-1", "catalog.db.shared-event-loops", "true"),
				"catalog.db", DatabaseProperties.class);
		assertThat(database.statementTimeout()).isZero();
		assertThat(database.preparedStatementCacheQueries()).isEqualTo(-1);
		assertThat(database.sharedEventLoops()).isTrue();
	}

	@Test
	void impossibleSettingsStopTheStart() {
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("catalog.db.statement-timeout", "-1s"), "catalog.db", DatabaseProperties.class))
			.withRootCauseInstanceOf(IllegalArgumentException.class);
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("catalog.db.prepared-statement-cache-queries", "-2"), "catalog.db",
					DatabaseProperties.class))
			.withRootCauseInstanceOf(IllegalArgumentException.class);
		assertThatExceptionOfType(BindException.class)
			.isThrownBy(() -> bind(Map.of("catalog.statements.warn-per-request", "-1"), "catalog.statements",
					StatementProperties.class))
			.withRootCauseInstanceOf(IllegalArgumentException.class);
	}

	static <T> T bind(Map<String, String> properties, String prefix, Class<T> type) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate(prefix, type);
	}

}
