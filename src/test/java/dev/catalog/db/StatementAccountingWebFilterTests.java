package dev.catalog.db;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatementAccountingWebFilterTests {

	@Test
	void serverTimingGivesMillisecondsWithThreeDecimalsAndTheCount() {
		assertThat(StatementAccountingWebFilter.serverTiming(statements(0, 0)))
			.isEqualTo("db;dur=0.000;desc=\"0 statements\"");
		assertThat(StatementAccountingWebFilter.serverTiming(statements(1, 1_234_567)))
			.isEqualTo("db;dur=1.234;desc=\"1 statement\"");
		assertThat(StatementAccountingWebFilter.serverTiming(statements(2, 12_005_000)))
			.isEqualTo("db;dur=12.005;desc=\"2 statements\"");
		assertThat(StatementAccountingWebFilter.serverTiming(statements(151, 1_500_040_000)))
			.isEqualTo("db;dur=1500.040;desc=\"151 statements\"");
	}

	private static RequestStatements statements(int count, long nanos) {
		RequestStatements statements = new RequestStatements();
		statements.add(count, nanos);
		return statements;
	}

}
