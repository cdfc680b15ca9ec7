package dev.catalog.cache;

import java.util.concurrent.Executor;
import java.util.function.Supplier;

import io.netty.util.concurrent.EventExecutor;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One read (a Redis command) shared by every caller that asks for it while it is not yet sent,
 * with at most one in flight: a caller that comes while a read is in flight joins the next one,
 * which is sent as soon as the one in flight has answered. So under load the command runs about
 * once per round trip, however many requests ask, and never more often than it is asked for.
 * <p>
 * <b>Never older than the caller.</b> A caller only ever gets the answer of a command sent
 * after it asked (it never joins a command already in flight), so whatever completed before it
 * asked (a write that advanced the generation and answered its client) is in the answer. The
 * price is latency: at most two round trips instead of one.
 * <p>
 * Answers (a value, nothing, or the command's error) go to every caller of that command, on the
 * thread that completes the command, or in one task on {@code answerOn} when one is given (an
 * event loop whose requests all read through this instance: they all continue there, without a
 * hand-off each); a caller that cancels only stops waiting.
 */
final class CoalescedRead<T> {

	private final Supplier<Mono<T>> command;

	private final @Nullable Executor answerOn;

	/** The callers of the command not yet sent, or {@code null} if none asked since the last was sent. */
	private Sinks.@Nullable One<T> waiting;

	private boolean inFlight;

	CoalescedRead(Supplier<Mono<T>> command) {
		this(command, null);
	}

	CoalescedRead(Supplier<Mono<T>> command, @Nullable Executor answerOn) {
		this.command = command;
		this.answerOn = answerOn;
	}

	/** The answer of a command sent after this is subscribed to; shared with other callers of that command. */
	Mono<T> read() {
		return Mono.defer(() -> {
			Sinks.One<T> batch;
			boolean send;
			synchronized (this) {
				if (this.waiting == null) {
					this.waiting = Sinks.one();
				}
				batch = this.waiting;
				send = !this.inFlight;
				if (send) {
					this.inFlight = true;
					this.waiting = null;
				}
			}
			if (send) {
				send(batch);
			}
			return batch.asMono();
		});
	}

	private void send(Sinks.One<T> batch) {
		this.command.get().subscribe((value) -> {
			answer(() -> batch.emitValue(value, Sinks.EmitFailureHandler.FAIL_FAST));
		}, (error) -> {
			answer(() -> batch.emitError(error, Sinks.EmitFailureHandler.FAIL_FAST));
			sent();
		}, () -> {
			// after a value the sink is complete already: emitting nothing again is a no-op (tasks
			// on one executor run in order, so the value's task always runs first)
			answer(batch::tryEmitEmpty);
			sent();
		});
	}

	private void answer(Runnable emit) {
		if (this.answerOn == null || (this.answerOn instanceof EventExecutor loop && loop.inEventLoop())) {
			emit.run();
		}
		else {
			this.answerOn.execute(emit);
		}
	}

	/** The command in flight answered: sends the next one if anyone asked meanwhile. */
	private void sent() {
		Sinks.One<T> next;
		synchronized (this) {
			next = this.waiting;
			this.waiting = null;
			this.inFlight = (next != null);
		}
		if (next != null) {
			send(next);
		}
	}

}
