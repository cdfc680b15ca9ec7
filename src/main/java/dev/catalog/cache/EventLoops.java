package dev.catalog.cache;

import io.netty.channel.EventLoop;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Where a request's answer continues after a Redis reply: on the Netty event loop that owns the
 * request's connection. Lettuce decodes every reply of the one shared connection on a single
 * I/O thread, and whatever runs there after a reply delays decoding the next ones (and counts
 * against their command timeout); the request's own loop is the one hand-off that costs no
 * extra hop, since Netty writes to a channel from its loop directly and from any other thread
 * through a task on that loop. Measurements: {@code bench/results/tuning/README.md}, section 2.
 */
final class EventLoops {

	private EventLoops() {
	}

	/** The event loop that owns the request's connection; {@code null} on other servers. */
	static @Nullable EventLoop loopOf(ServerRequest request) {
		Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request.exchange().getRequest());
		return (nativeRequest instanceof Connection connection) ? connection.channel().eventLoop() : null;
	}

	/** The scheduler of {@code loop}; the parallel scheduler when there is none. */
	static Scheduler scheduler(@Nullable EventLoop loop) {
		// a thin wrapper, not worth a map that would keep the loops of closed contexts alive
		return (loop != null) ? Schedulers.fromExecutor(loop) : Schedulers.parallel();
	}

	/**
	 * {@code source}'s value on {@code loop}: as it comes when it comes there already (a hit on a
	 * copy: {@link NearCache}), else through a task on it.
	 */
	static <T> Mono<T> continueOn(Mono<T> source, @Nullable EventLoop loop, Scheduler scheduler) {
		if (loop == null) {
			return source.publishOn(scheduler);
		}
		return source.flatMap((value) -> loop.inEventLoop() ? Mono.just(value) : Mono.just(value).publishOn(scheduler));
	}

}
