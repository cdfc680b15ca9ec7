package dev.catalog.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link HitPathWarmUp} on a simulated clock: every request takes 1 ms, and the simulated JIT
 * compiles for as long as each round's script says.
 */
class HitPathWarmUpTests {

	private final AtomicLong nanos = new AtomicLong();

	private final AtomicLong compiledMillis = new AtomicLong();

	private final List<Integer> rounds = new ArrayList<>();

	/** Each round: its requests take 1 ms each, the JIT compiles {@code compiling[round]} ms of it. */
	private HitPathWarmUp.Requests requests(long... compiling) {
		return (from, count) -> {
			assertThat(from).as("each round starts where the last ended")
				.isEqualTo(this.rounds.stream().mapToInt(Integer::intValue).sum());
			int round = this.rounds.size();
			this.rounds.add(count);
			this.nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(count));
			this.compiledMillis.addAndGet((round < compiling.length) ? compiling[round] : 0);
			return CompletableFuture.completedFuture(null);
		};
	}

	private HitPathWarmUp warmUp() {
		return new HitPathWarmUp(this.nanos::get, this.compiledMillis::get);
	}

	@Test
	void stopsAfterTwoRoundsInARowInWhichTheJitWasQuiet() throws InterruptedException {
		// a 500 ms round, then 1 s: busy, busy, quiet, busy (the quiet round does not count alone), quiet, quiet
		HitPathWarmUp.Outcome outcome = warmUp().run(requests(400, 600, 10, 300, 90, 0, 900), 1_000_000,
				Duration.ofMinutes(1));
		assertThat(outcome.quiet()).isTrue();
		assertThat(this.rounds).hasSize(6);
		assertThat(outcome.requests()).isEqualTo(this.rounds.stream().mapToInt(Integer::intValue).sum());
	}

	@Test
	void roundsLastAboutASecondAtTheLastRoundsRate() throws InterruptedException {
		warmUp().run(requests(900, 900, 900), 1_000_000, Duration.ofMinutes(1));
		assertThat(this.rounds).startsWith(500, 1000, 1000);
	}

	@Test
	void stopsAtTheMostRequestsWhileTheJitStillCompiles() throws InterruptedException {
		HitPathWarmUp.Outcome outcome = warmUp().run(requests(500, 500, 500, 500, 500), 1_800, Duration.ofMinutes(1));
		assertThat(outcome.quiet()).isFalse();
		assertThat(outcome.requests()).isEqualTo(1_800);
		assertThat(this.rounds).containsExactly(500, 1000, 300);
	}

	@Test
	void stopsWhenTheWaitHasPassed() throws InterruptedException {
		long[] busy = new long[100];
		java.util.Arrays.fill(busy, 900);
		HitPathWarmUp.Outcome outcome = warmUp().run(requests(busy), 1_000_000, Duration.ofMillis(2_600));
		assertThat(outcome.quiet()).isFalse();
		assertThat(this.rounds).containsExactly(500, 1000, 1000, 1000);
		assertThat(outcome.nanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(3_500));
	}

	@Test
	void withoutCompilationTimesTheRequestsRunToTheirMost() throws InterruptedException {
		HitPathWarmUp.Outcome outcome = new HitPathWarmUp(this.nanos::get, null).run(requests(), 3_000,
				Duration.ofMinutes(1));
		assertThat(outcome.quiet()).isFalse();
		assertThat(outcome.requests()).isEqualTo(3_000);
	}

	@Test
	void failingRequestsEndTheWarmUpWithTheirCause() {
		HitPathWarmUp.Requests failing = (from, count) -> CompletableFuture.failedFuture(new IllegalArgumentException("no"));
		assertThatIllegalStateException().isThrownBy(() -> warmUp().run(failing, 10, Duration.ofMinutes(1)))
			.withCauseInstanceOf(IllegalArgumentException.class);
	}

	@Test
	void onThisJvmTheJitGoesQuietOnceTheSameWorkHasBeenRepeated() throws InterruptedException {
		long[] sink = new long[1];
		HitPathWarmUp.Outcome outcome = HitPathWarmUp.ofThisJvm().run((from, count) -> {
			for (int i = 0; i < count; i++) {
				sink[0] += Long.toString(from + i).hashCode();
			}
			return CompletableFuture.completedFuture(null);
		}, Integer.MAX_VALUE, Duration.ofSeconds(30));
		assertThat(outcome.quiet()).as("%s", outcome).isTrue();
	}

}
