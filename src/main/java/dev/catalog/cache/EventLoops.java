package dev.catalog.cache;

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

	/** The scheduler of the request's event loop; the parallel scheduler on other servers. */
	static Scheduler of(ServerRequest request) {
		Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request.exchange().getRequest());
		if (nativeRequest instanceof Connection connection) {
			// a thin wrapper, not worth a map that would keep the loops of closed contexts alive
			return Schedulers.fromExecutor(connection.channel().eventLoop());
		}
		return Schedulers.parallel();
	}

}
