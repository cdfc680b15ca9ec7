package dev.catalog.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.netty.buffer.Unpooled;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;

/**
 * Long-lived streams written by Reactor Netty itself once WebFlux is done with their request.
 * <p>
 * A stream served through WebFlux keeps, for as long as it is open, everything its request
 * went through: the exchange and its attribute maps, the observation, every web filter's
 * operators and checkpoints, the router's and the handler's; about 10 KB per connection,
 * which is most of what an idle change feed subscriber costs. Here, a stream request
 * ({@code GET} asking for {@code text/event-stream} or {@code application/x-ndjson}) goes through
 * WebFlux as every request does: the filters decide (CORS, limits, rate limits and the
 * per-client stream count), the handler chooses status and headers or answers a problem.
 * A handler that {@link #write hands its body off} gets it written after that, by a Reactor
 * Netty route of its own ({@link #serve}), once the WebFlux chain has completed: its response
 * is committed with everything the filters put on it (security headers, {@code Vary},
 * {@code RateLimit}, {@code Server-Timing}), and what the chain held can be collected. What must
 * last as long as the stream (a per-client stream count) is registered with
 * {@link #whenEnded}.
 * <p>
 * The HTTP server metrics ({@code http.server.requests}) see such a request end when its stream
 * starts, not when it closes.
 */
public final class HandedOffStreams {

	private final Map<HttpServerResponse, Handoff> pending = new ConcurrentHashMap<>();

	private final ObjectProvider<HttpHandler> httpHandler;

	private volatile @Nullable ReactorHttpHandlerAdapter adapter;

	HandedOffStreams(ObjectProvider<HttpHandler> httpHandler) {
		this.httpHandler = httpHandler;
	}

	/** Whether {@link #serve} should take this request: a GET for a stream. */
	static boolean isStream(HttpServerRequest request) {
		if (!io.netty.handler.codec.http.HttpMethod.GET.equals(request.method())) {
			return false;
		}
		String accept = request.requestHeaders().get(io.netty.handler.codec.http.HttpHeaderNames.ACCEPT);
		return accept != null && (accept.contains("text/event-stream") || accept.contains("application/x-ndjson"));
	}

	/**
	 * Serves the request through WebFlux, then writes the body its handler handed off, if any.
	 * Each step is subscribed only once the one before has completed, and the concatenation keeps
	 * only the step under way: nothing of the first is held while the stream is open.
	 */
	Mono<Void> serve(HttpServerRequest request, HttpServerResponse response) {
		this.pending.put(response, new Handoff());
		return Flux.concat(Mono.defer(() -> adapter().apply(request, response)), Mono.defer(() -> continued(response)))
			.then()
			.doFinally((signal) -> {
				Handoff left = this.pending.remove(response);
				if (left != null) {
					left.abandon();
				}
			});
	}

	/**
	 * Writes {@code body} as the response's body: handed off to be written once the WebFlux chain
	 * is done, where this request came through {@link #serve}, else through the response as usual.
	 * @return completes at once when handed off, when the body ends otherwise
	 */
	public Mono<Void> write(ServerHttpResponse response, Flux<byte[]> body) {
		Handoff handoff = handoff(response);
		if (handoff == null) {
			return response.writeWith(body.map((bytes) -> response.bufferFactory().wrap(bytes)));
		}
		handoff.body = body;
		return Mono.empty();
	}

	/**
	 * Runs {@code action} once the stream this response hands off has ended (or failed, or was
	 * never written), or now if it hands none off.
	 */
	void whenEnded(ServerHttpResponse response, Runnable action) {
		Handoff handoff = handoff(response);
		if (handoff == null || handoff.body == null || !handoff.onEnd(action)) {
			action.run();
		}
	}

	private @Nullable Handoff handoff(ServerHttpResponse response) {
		Object nativeResponse = ServerHttpResponseDecorator.getNativeResponse(response);
		return (nativeResponse instanceof HttpServerResponse netty) ? this.pending.get(netty) : null;
	}

	/**
	 * The handed-off body, if the chain handed one off and answered 200 without writing
	 * anything itself (a chain that failed or answered a problem after the hand-off keeps its
	 * answer, and the body is abandoned).
	 */
	private Mono<Void> continued(HttpServerResponse response) {
		// left in place until the stream ends: the filters' own ends run after this has started,
		// and register what must last as long as it (whenEnded)
		Handoff handoff = this.pending.get(response);
		if (handoff == null || handoff.body == null) {
			return Mono.empty();
		}
		if (response.hasSentHeaders() || response.status().code() != 200) {
			handoff.abandon();
			return Mono.empty();
		}
		// started once subscribed, not once sent: on a connection the client has closed meanwhile,
		// Reactor Netty ends the send without subscribing to the body, which must then be
		// abandoned (serve's end) so that it releases what it holds (a feed subscription)
		Flux<byte[]> body = handoff.body.doOnSubscribe((subscription) -> handoff.started = true);
		return response.send(body.map(Unpooled::wrappedBuffer)).then().doFinally((signal) -> handoff.ended());
	}

	private ReactorHttpHandlerAdapter adapter() {
		ReactorHttpHandlerAdapter adapter = this.adapter;
		if (adapter == null) {
			adapter = new ReactorHttpHandlerAdapter(this.httpHandler.getObject());
			this.adapter = adapter;
		}
		return adapter;
	}

	/** One request's hand-off: the body, once the handler gives it, and what to run when it ends. */
	private static final class Handoff {

		private volatile @Nullable Flux<byte[]> body;

		/** Its body is being written: only the writing ends it. */
		private volatile boolean started;

		private @Nullable List<Runnable> onEnd = new ArrayList<>(1);

		/** @return false if it has ended already */
		synchronized boolean onEnd(Runnable action) {
			if (this.onEnd == null) {
				return false;
			}
			this.onEnd.add(action);
			return true;
		}

		void ended() {
			List<Runnable> actions;
			synchronized (this) {
				actions = this.onEnd;
				this.onEnd = null;
			}
			if (actions != null) {
				actions.forEach(Runnable::run);
			}
		}

		/**
		 * Ends it without writing: subscribes to the body only to cancel it, so that it releases
		 * what it holds. One being written is left to end with its writing.
		 */
		void abandon() {
			if (this.started) {
				return;
			}
			Flux<byte[]> body = this.body;
			this.body = null;
			if (body != null) {
				body.subscribe(new BaseSubscriber<byte[]>() {
					@Override
					protected void hookOnSubscribe(Subscription subscription) {
						cancel();
					}
				});
			}
			ended();
		}

	}

}
