package dev.catalog.db;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.Result;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class StatementCounterTests {

	private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

	private final StatementCounter counter = new StatementCounter(this.registry,
			new StatementProperties(true, 1, Duration.ofSeconds(1)));

	private final RequestStatements request = new RequestStatements();

	@Test
	void aCompletedExecutionCountsOnceBeforeItsSubscriberSeesTheEnd() {
		int[] seenAtEnd = { -1 };
		StepVerifier.create(inRequest(this.counter.counted(Flux.<Result>empty(), 1, "SELECT 1"))
			.doOnComplete(() -> seenAtEnd[0] = this.request.count()))
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		assertThat(seenAtEnd[0]).isEqualTo(1);
		assertThat(this.request.count()).isEqualTo(1);
		assertThat(this.registry.get("catalog.db.statements").counter().count()).isEqualTo(1.0);
		assertThat(this.registry.get("catalog.db.statement.duration").timer().count()).isEqualTo(1);
	}

	@Test
	void aFailedExecutionCountsOnce() {
		StepVerifier.create(inRequest(this.counter.counted(Flux.<Result>error(new IllegalStateException("x")), 1, "SELECT 1")))
			.expectError(IllegalStateException.class)
			.verify(Duration.ofSeconds(5));
		assertThat(this.request.count()).isEqualTo(1);
	}

	@Test
	void anExecutionWhoseSubscriberStopsReadingCountsOnce() {
		StepVerifier.create(inRequest(this.counter.counted(Flux.<Result>never(), 1, "SELECT 1")))
			.thenCancel()
			.verify(Duration.ofSeconds(5));
		assertThat(this.request.count()).isEqualTo(1);
		assertThat(this.registry.get("catalog.db.statements").counter().count()).isEqualTo(1.0);
	}

	@Test
	void aBatchCountsEachOfItsStatementsAndEverySubscriptionIsAnExecution() {
		Flux<Result> batch = inRequest(this.counter.counted(Flux.<Result>empty(), 3, "INSERT …"));
		StepVerifier.create(batch).expectComplete().verify(Duration.ofSeconds(5));
		StepVerifier.create(batch).expectComplete().verify(Duration.ofSeconds(5));
		assertThat(this.request.count()).isEqualTo(6);
	}

	@Test
	void statementsOutsideARequestCountOnlyInTheMetrics() {
		StepVerifier.create(this.counter.counted(Flux.<Result>empty(), 1, "SELECT 1"))
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		assertThat(this.request.count()).isZero();
		assertThat(this.registry.get("catalog.db.statements").counter().count()).isEqualTo(1.0);
	}

	@Test
	void slowStatementsAreLoggedAsOneAbbreviatedLine() {
		assertThat(StatementCounter.abbreviate("  SELECT a,\n       b\n  FROM t  ")).isEqualTo("SELECT a, b FROM t");
		assertThat(StatementCounter.abbreviate("x".repeat(200))).hasSize(163).endsWith("...");
	}

	private Flux<Result> inRequest(Flux<Result> results) {
		return results.contextWrite((context) -> context.put(RequestStatements.class, this.request));
	}

}
