package dev.catalog.cache;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class CoalescedReadTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	/** A command whose answers the test gives by hand, one sink per command sent. */
	private final List<Sinks.One<Long>> sent = new ArrayList<>();

	private final CoalescedRead<Long> read = new CoalescedRead<>(() -> {
		Sinks.One<Long> answer = Sinks.one();
		this.sent.add(answer);
		return answer.asMono();
	});

	@Test
	void aCallerWithNothingInFlightSendsTheCommandAtOnce() {
		StepVerifier.create(this.read.read())
			.then(() -> assertThat(this.sent).hasSize(1))
			.then(() -> this.sent.get(0).tryEmitValue(7L))
			.expectNext(7L)
			.expectComplete()
			.verify(TIMEOUT);
	}

	@Test
	void callersWhileOneIsInFlightShareTheNextCommandAndNeverGetTheOneSentBeforeThem() {
		List<Long> first = new ArrayList<>();
		List<Long> later = new ArrayList<>();
		this.read.read().subscribe(first::add);
		for (int i = 0; i < 100; i++) {
			this.read.read().subscribe(later::add);
		}
		assertThat(this.sent).as("one in flight; the 100 others wait for the next").hasSize(1);

		this.sent.get(0).tryEmitValue(1L);
		assertThat(first).containsExactly(1L);
		assertThat(later).as("asked after command 1 was sent: its answer may predate them").isEmpty();
		assertThat(this.sent).as("the waiting callers' command went out when the first answered").hasSize(2);

		this.sent.get(1).tryEmitValue(2L);
		assertThat(later).hasSize(100).containsOnly(2L);
		assertThat(this.sent).as("nobody waiting: nothing more sent").hasSize(2);
	}

	@Test
	void anErrorOrNoValueReachesEveryCallerOfThatCommandAndTheNextCallerSendsAgain() {
		AtomicInteger failed = new AtomicInteger();
		this.read.read().subscribe((value) -> { }, (error) -> failed.incrementAndGet());
		this.read.read().subscribe((value) -> { }, (error) -> failed.incrementAndGet());
		this.read.read().subscribe((value) -> { }, (error) -> failed.incrementAndGet());
		this.sent.get(0).tryEmitError(new IllegalStateException("redis down"));
		assertThat(failed).hasValue(1);
		this.sent.get(1).tryEmitError(new IllegalStateException("redis down"));
		assertThat(failed).hasValue(3);

		StepVerifier.create(this.read.read())
			.then(() -> this.sent.get(2).tryEmitEmpty())
			.expectComplete()
			.verify(TIMEOUT);
		assertThat(this.sent).hasSize(3);
	}

	@Test
	void aCallerThatCancelsDoesNotStopTheOthersAnswer() {
		List<Long> kept = new ArrayList<>();
		this.read.read().subscribe();
		var cancelled = this.read.read().subscribe();
		this.read.read().subscribe(kept::add);
		cancelled.dispose();
		this.sent.get(0).tryEmitValue(1L);
		this.sent.get(1).tryEmitValue(2L);
		assertThat(kept).containsExactly(2L);
	}

	@Test
	void aCommandThatAnswersAtOnceLeavesNothingInFlight() {
		CoalescedRead<Long> immediate = new CoalescedRead<>(() -> Mono.just(3L));
		for (int i = 0; i < 3; i++) {
			StepVerifier.create(immediate.read()).expectNext(3L).expectComplete().verify(TIMEOUT);
		}
	}

}
