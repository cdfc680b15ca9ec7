package dev.catalog.db;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcRollbackException;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.PessimisticLockingFailureException;

import static org.assertj.core.api.Assertions.assertThat;

class DatabaseFailuresTests {

	@Test
	void deadlockVictimsAndSerializationFailuresAreRetryableWhereverTheyAreWrapped() {
		assertThat(DatabaseFailures.isRetryable(
				new PessimisticLockingFailureException("deadlock", new R2dbcRollbackException("x", "40P01"))))
			.isTrue();
		assertThat(DatabaseFailures.isRetryable(new R2dbcRollbackException("x", "40001"))).isTrue();
		assertThat(DatabaseFailures.isRetryable(new R2dbcRollbackException("x", "23505"))).isFalse();
	}

	@Test
	void aDriverFailureWithoutSqlStateIsNotRetryableRatherThanAnError() {
		assertThat(DatabaseFailures.isRetryable(new R2dbcNonTransientResourceException("Connection validation failed")))
			.isFalse();
	}

	@Test
	void outagesAreFoundInTheCauseChainAndConstraintViolationsAreNotOutages() {
		assertThat(DatabaseFailures.isOutage(new IllegalStateException(new ConnectException("refused")))).isTrue();
		assertThat(DatabaseFailures.isOutage(new TimeoutException())).isTrue();
		assertThat(DatabaseFailures.isOutage(new DataIntegrityViolationException("duplicate"))).isFalse();
	}

}
