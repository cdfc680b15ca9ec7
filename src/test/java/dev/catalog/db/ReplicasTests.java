package dev.catalog.db;

import java.time.Duration;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcPermissionDeniedException;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The parts of replica reads that need no server: the guarded statement text, the WAL
 * position as PostgreSQL writes it, what counts as "behind", the lag a replica's checks see, and
 * the properties' validation. {@code ReadReplicaIntegrationTests} runs them on a real replica.
 */
class ReplicasTests {

	@Test
	void aQueryIsWrappedWithItsGuardAsTheNextPlaceholder() {
		String sql = "SELECT a.id FROM artifacts a WHERE a.type = $1 AND a.name > $2 ORDER BY a.id LIMIT $3";
		assertThat(GuardedConnection.parameters(sql)).isEqualTo(3);
		assertThat(GuardedConnection.guard(sql, 3)).isEqualTo("SELECT * FROM (\n" + sql
				+ "\n) AS replica_read WHERE catalog_caught_up($4::pg_lsn, $5)");
		assertThat(GuardedConnection.parameters("SELECT 1")).isZero();
		assertThat(GuardedConnection.parameters("SELECT $10, $2")).isEqualTo(10);
	}

	@Test
	void onlyQueriesAreGuarded() {
		assertThat(GuardedConnection.isQuery("  select 1")).isTrue();
		assertThat(GuardedConnection.isQuery("\nWITH page AS (SELECT 1) SELECT * FROM page")).isTrue();
		assertThat(GuardedConnection.isQuery("UPDATE artifacts SET name = $1")).isFalse();
		assertThat(GuardedConnection.isQuery("SET LOCAL statement_timeout = 0")).isFalse();
	}

	@Test
	void aWalPositionIsWrittenAsPostgresWritesAPgLsn() {
		assertThat(GuardedConnection.lsn(0)).isEqualTo("0/0");
		assertThat(GuardedConnection.lsn(0x16B3748L)).isEqualTo("0/16B3748");
		assertThat(GuardedConnection.lsn((0x1AL << 32) + 0xFF00L)).isEqualTo("1A/FF00");
	}

	@Test
	void behindIsTheGuardsSqlStateAnywhereInTheCauseChain() {
		var behind = new R2dbcPermissionDeniedException("replica has replayed the WAL up to 0/1 of 0/2",
				GuardedConnection.BEHIND);
		assertThat(Replicas.behind(behind)).isTrue();
		assertThat(Replicas.behind(new DataAccessResourceFailureException("wrapped", behind))).isTrue();
		assertThat(Replicas.behind(new R2dbcNonTransientResourceException("refused", "08001"))).isFalse();
	}

	@Test
	void lagIsHowLongReceivedWalStaysUnreplayedNotTheAgeOfTheLastWrite() {
		Replica replica = replica();
		long second = 1_000_000_000L;
		// nothing pending: not lagging, however long ago the last write was replayed
		assertThat(replica.lagMillis(new Replica.Observed(true, 100, 100), 0)).isZero();
		// received 200, replayed 100: pending since now
		assertThat(replica.lagMillis(new Replica.Observed(true, 200, 100), 10 * second)).isZero();
		assertThat(replica.lagMillis(new Replica.Observed(true, 300, 150), 12 * second)).isEqualTo(2000);
		// it replayed past 200 (what was pending): a new pending position, lag starts again
		assertThat(replica.lagMillis(new Replica.Observed(true, 400, 250), 13 * second)).isZero();
		assertThat(replica.lagMillis(new Replica.Observed(true, 400, 400), 14 * second)).isZero();
	}

	@Test
	void replicasMustBeR2dbcUrlsAndTheDurationsPositive() {
		assertThat(new ReplicaProperties(List.of(), Duration.ofSeconds(1), Duration.ofSeconds(1)).replicas()).isEmpty();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ReplicaProperties(List.of("postgresql://user:secret@replica/catalog"),
					Duration.ofSeconds(1), Duration.ofSeconds(1)))
			.withMessageContaining("R2DBC URLs")
			.withMessageNotContaining("secret");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ReplicaProperties(List.of(), Duration.ZERO, Duration.ofSeconds(1)));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ReplicaProperties(List.of(), Duration.ofSeconds(1), Duration.ZERO));
	}

	private static Replica replica() {
		ConnectionPool pool = new ConnectionPool(ConnectionPoolConfiguration
			.builder(ConnectionFactories.get("r2dbc:postgresql://nobody@localhost:1/none"))
			.build());
		return new Replica("test", pool, Duration.ofSeconds(1), new SimpleMeterRegistry());
	}

}
