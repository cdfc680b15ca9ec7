package dev.catalog.cache;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the warm-up requests in rounds of about a second until the JIT has gone quiet: two
 * rounds in a row in which the compilers worked for less than {@value #QUIET_PERCENT} % of the
 * round's time. By then what the requests run has been compiled by C2, and the instance serves
 * at full speed from its first request; a fixed count could not say when that is (the old
 * default of 5,000 hits was a small fraction of the 80,000–195,000 it took on two shared cores,
 * bench/results/cpu/README.md). A round still running at the wait's end finishes in the
 * background. The requests
 * also stop at {@code max} and when {@code wait} has passed, whichever comes first; where the
 * JVM does not report compilation time they run until one of those.
 * <p>
 * Blocks the calling thread (start-up's, before readiness is published).
 */
final class HitPathWarmUp {

	private static final Logger logger = LoggerFactory.getLogger(HitPathWarmUp.class);

	/** A round in which the compilers took less than this share of its time is quiet. */
	static final int QUIET_PERCENT = 10;

	/** Quiet rounds in a row that end the warm-up. */
	static final int QUIET_ROUNDS = 2;

	private static final long ROUND_NANOS = TimeUnit.SECONDS.toNanos(1);

	private static final int FIRST_ROUND = 500;

	/** Sends {@code count} requests, the first being the {@code from}-th, and completes when they are answered. */
	interface Requests {

		CompletableFuture<Void> send(int from, int count);

	}

	/** What a warm-up did. */
	record Outcome(int requests, long nanos, boolean quiet) {

		@Override
		public String toString() {
			return this.requests + " requests in " + Duration.ofNanos(this.nanos).toMillis() + " ms, "
					+ (this.quiet ? "until the JIT went quiet" : "the JIT still compiling");
		}

	}

	private final LongSupplier nanoTime;

	private final @Nullable LongSupplier compiledMillis;

	/**
	 * @param nanoTime a monotonic clock in nanoseconds
	 * @param compiledMillis the compilers' total time so far in milliseconds, or {@code null}
	 * where the JVM does not report it
	 */
	HitPathWarmUp(LongSupplier nanoTime, @Nullable LongSupplier compiledMillis) {
		this.nanoTime = nanoTime;
		this.compiledMillis = compiledMillis;
	}

	/** On this JVM's clock and compilers. */
	static HitPathWarmUp ofThisJvm() {
		CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
		boolean reported = jit != null && jit.isCompilationTimeMonitoringSupported();
		return new HitPathWarmUp(System::nanoTime, reported ? jit::getTotalCompilationTime : null);
	}

	Outcome run(Requests requests, int max, Duration wait) throws InterruptedException {
		long start = this.nanoTime.getAsLong();
		long deadline = start + wait.toNanos();
		int sent = 0;
		int round = FIRST_ROUND;
		int quietRounds = 0;
		while (sent < max && quietRounds < QUIET_ROUNDS) {
			long roundStart = this.nanoTime.getAsLong();
			if (roundStart - deadline >= 0) {
				break;
			}
			long compiledBefore = compiled();
			int count = Math.min(round, max - sent);
			try {
				requests.send(sent, count).get(deadline - roundStart, TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException ex) {
				sent += count;
				break;
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException("Warm-up requests failed", ex.getCause());
			}
			sent += count;
			long took = Math.max(1, this.nanoTime.getAsLong() - roundStart);
			if (this.compiledMillis != null) {
				long compiledNanos = TimeUnit.MILLISECONDS.toNanos(compiled() - compiledBefore);
				quietRounds = (compiledNanos * 100 < took * QUIET_PERCENT) ? quietRounds + 1 : 0;
				logger.debug("Warm-up round: {} requests in {} ms, compiling {} ms", count,
						TimeUnit.NANOSECONDS.toMillis(took), TimeUnit.NANOSECONDS.toMillis(compiledNanos));
			}
			// the next round lasts about a second at this round's rate
			round = (int) Math.max(FIRST_ROUND, Math.min(Integer.MAX_VALUE, count * ROUND_NANOS / took));
		}
		return new Outcome(sent, this.nanoTime.getAsLong() - start, quietRounds >= QUIET_ROUNDS);
	}

	private long compiled() {
		return (this.compiledMillis != null) ? this.compiledMillis.getAsLong() : 0;
	}

}
