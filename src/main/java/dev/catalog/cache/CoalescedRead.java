package dev.catalog.cache;

import java.util.function.Supplier;

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
 * thread that completes the command; a caller that cancels only stops waiting.
 */
final class CoalescedRead<T> {

	private final Supplier<Mono<T>> command;

	/** The callers of the command not yet sent, or {@code null} if none asked since the last was sent. */
	private Sinks.@Nullable One<T> waiting;

	private boolean inFlight;

	CoalescedRead(Supplier<Mono<T>> command) {
		this.command = command;
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
			batch.emitValue(value, Sinks.EmitFailureHandler.FAIL_FAST);
		}, (error) -> {
			batch.emitError(error, Sinks.EmitFailureHandler.FAIL_FAST);
			sent();
		}, () -> {
			// after a value the sink is complete already: emitting nothing again is a no-op
			batch.tryEmitEmpty();
			sent();
		});
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
