package dev.catalog.db;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.R2dbcRollbackException;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.transaction.ReactiveTransaction;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.ErrorResponse;

import static org.assertj.core.api.Assertions.assertThat;

class WritesTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final List<String> events = new CopyOnWriteArrayList<>();

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final CatalogChanges changes = () -> Mono.fromRunnable(() -> this.events.add("cache told"));

	private final Writes writes = new Writes(TransactionalOperator.create(new RecordingTransactions()), this.changes,
			this.registry, Clock.systemUTC(), Duration.ofMillis(1), Duration.ofSeconds(10));

	@Test
	void theCacheIsToldAfterTheCommitAndBeforeTheAnswer() {
		StepVerifier.create(this.writes.commit(() -> Mono.fromSupplier(() -> {
			this.events.add("work");
			return "written";
		})).doOnNext((result) -> this.events.add("answer"))).expectNext("written").expectComplete().verify(TIMEOUT);
		assertThat(this.events).containsExactly("begin", "work", "commit", "cache told", "answer");
	}

	@Test
	void aDeadlockVictimRunsAgainInANewTransaction() {
		AtomicInteger attempts = new AtomicInteger();
		StepVerifier.create(this.writes.commit(() -> Mono.defer(() -> {
			this.events.add("work");
			return (attempts.incrementAndGet() == 1) ? Mono.error(deadlock()) : Mono.just("written");
		}))).expectNext("written").expectComplete().verify(TIMEOUT);
		assertThat(this.events).containsExactly("begin", "work", "rollback", "begin", "work", "commit", "cache told");
		assertThat(this.registry.counter("catalog.db.write.retries").count()).isEqualTo(1);
	}

	@Test
	void aSerializationFailureIsRetriedToo() {
		AtomicInteger attempts = new AtomicInteger();
		StepVerifier.create(this.writes.commit(() -> Mono.defer(() -> (attempts.incrementAndGet() < 3)
				? Mono.error(new R2dbcRollbackException("could not serialize access", "40001"))
				: Mono.just(attempts.get())))).expectNext(3).expectComplete().verify(TIMEOUT);
	}

	@Test
	void otherFailuresAreNotRetriedAndTheCacheIsNotTold() {
		StepVerifier.create(this.writes.commit(() -> Mono.defer(() -> {
			this.events.add("work");
			return Mono.error(new DuplicateKeyException("duplicate key", new R2dbcRollbackException("x", "23505")));
		}))).expectError(DuplicateKeyException.class).verify(TIMEOUT);
		assertThat(this.events).containsExactly("begin", "work", "rollback");
	}

	@Test
	void collisionsThatOutlastTheRetriesAreAnsweredWith503AndApplyNothing() {
		AtomicInteger attempts = new AtomicInteger();
		StepVerifier.create(this.writes.commit(() -> Mono.defer(() -> {
			attempts.incrementAndGet();
			return Mono.<String>error(deadlock());
		}))).expectErrorSatisfies((failure) -> {
			assertThat(failure).isInstanceOf(WriteCollisionException.class);
			ErrorResponse answer = (ErrorResponse) failure;
			assertThat(answer.getStatusCode().value()).isEqualTo(503);
			assertThat(Long.parseLong(answer.getHeaders().getFirst(HttpHeaders.RETRY_AFTER))).isPositive();
		}).verify(TIMEOUT);
		assertThat(attempts).hasValue(1 + Writes.MAX_RETRIES);
		assertThat(this.events).doesNotContain("commit", "cache told");
	}

	@Test
	void aWriteWithoutAResultStillTellsTheCache() {
		StepVerifier.create(this.writes.commit(Mono::empty)).expectComplete().verify(TIMEOUT);
		assertThat(this.events).containsExactly("begin", "commit", "cache told");
	}

	private static PessimisticLockingFailureException deadlock() {
		// what DatabaseClient makes of PostgreSQL's deadlock error
		return new PessimisticLockingFailureException("deadlock detected",
				new R2dbcRollbackException("deadlock detected", "40P01"));
	}

	/** Records what the transaction manager is asked to do; nothing else. */
	private final class RecordingTransactions implements ReactiveTransactionManager {

		@Override
		public Mono<ReactiveTransaction> getReactiveTransaction(TransactionDefinition definition) {
			return Mono.fromSupplier(() -> {
				WritesTests.this.events.add("begin");
				return new Transaction();
			});
		}

		@Override
		public Mono<Void> commit(ReactiveTransaction transaction) {
			return Mono.fromRunnable(() -> WritesTests.this.events.add("commit"));
		}

		@Override
		public Mono<Void> rollback(ReactiveTransaction transaction) {
			return Mono.fromRunnable(() -> WritesTests.this.events.add("rollback"));
		}

	}

	private static final class Transaction implements ReactiveTransaction {

		private boolean rollbackOnly;

		@Override
		public boolean isNewTransaction() {
			return true;
		}

		@Override
		public void setRollbackOnly() {
			this.rollbackOnly = true;
		}

		@Override
		public boolean isRollbackOnly() {
			return this.rollbackOnly;
		}

		@Override
		public boolean isCompleted() {
			return false;
		}

	}

}
