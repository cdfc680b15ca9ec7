package dev.catalog.cache;

import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * Where a request's answer continues after a Redis reply: on the Netty event loop that owns the
 * request's connection. Lettuce reads every reply of the one shared connection on a single I/O
 * thread; whatever runs on that thread after a reply (building and writing the response) delays
 * decoding the next replies, so under a burst they would arrive late and be counted as Redis
 * timeouts. Handing the answer to the connection's own event loop frees the I/O thread at once
 * and costs no extra hop: Netty writes from the loop that owns the channel directly, and from
 * any other thread through a task on that loop.
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
