package dev.catalog.web;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import org.jspecify.annotations.Nullable;
import reactor.netty.NettyPipeline;

import org.springframework.http.HttpStatus;

/**
 * What the HTTP/1.1 server does below the web framework about requests whose head (request line
 * and headers) is too slow or too large, installed on every connection:
 * <ul>
 * <li>a head must arrive whole within {@code headerTimeout} of its first byte, or the connection
 * is answered 408 problem+json and closed. Reactor Netty's read and request timeouts start only
 * once a head is decoded; its idle timeout ({@code server.netty.idle-timeout}) does cut a client
 * that trickles its head, but silently and only after the keep-alive idle time, which is longer
 * (measured on Reactor Netty 1.3.6: a head trickled a byte every 200 ms was cut at the idle
 * timeout, without an answer);</li>
 * <li>Reactor Netty answers a request line over {@code server.netty.max-initial-line-length}
 * with 414, headers over {@code server.max-http-request-header-size} with 431 and an
 * undecodable head with 400, each with an empty body; those answers get a problem+json body
 * here, like every other error of the service.</li>
 * </ul>
 */
final class RequestHeadLimits {

	static final String RAW = "catalog.requestHeadStart";

	static final String DECODED = "catalog.requestHeadEnd";

	private RequestHeadLimits() {
	}

	/** Adds the handlers around the HTTP/1.1 codec of a new connection (none where there is no such codec). */
	static void install(Channel channel, Duration headerTimeout) {
		ChannelPipeline pipeline = channel.pipeline();
		if (pipeline.get(NettyPipeline.HttpCodec) == null || pipeline.get(RAW) != null) {
			return;
		}
		Head head = new Head(headerTimeout.toNanos());
		pipeline.addBefore(NettyPipeline.HttpCodec, RAW, new FirstBytes(head));
		pipeline.addAfter(NettyPipeline.HttpCodec, DECODED, new Decoded(head));
	}

	/** One connection's state: whether a head is on its way, and its deadline. */
	private static final class Head {

		private final long timeoutNanos;

		private boolean awaiting = true;

		private @Nullable ScheduledFuture<?> deadline;

		Head(long timeoutNanos) {
			this.timeoutNanos = timeoutNanos;
		}

		void started(ChannelHandlerContext raw) {
			if (this.awaiting && this.deadline == null) {
				this.deadline = raw.executor().schedule(() -> expire(raw), this.timeoutNanos, TimeUnit.NANOSECONDS);
			}
		}

		void decoded() {
			this.awaiting = false;
			cancel();
		}

		void answered() {
			this.awaiting = true;
		}

		void cancel() {
			if (this.deadline != null) {
				this.deadline.cancel(false);
				this.deadline = null;
			}
		}

		private void expire(ChannelHandlerContext raw) {
			this.deadline = null;
			if (this.awaiting && raw.channel().isActive()) {
				byte[] answer = RawProblems.response(HttpStatus.REQUEST_TIMEOUT, "Request timeout",
						"The request's line and headers did not arrive in time.");
				raw.writeAndFlush(Unpooled.wrappedBuffer(answer)).addListener(ChannelFutureListener.CLOSE);
			}
		}

	}

	/** Before the codec: sees the first raw bytes of each request's head. */
	private static final class FirstBytes extends ChannelInboundHandlerAdapter {

		private final Head head;

		FirstBytes(Head head) {
			this.head = head;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
			if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
				this.head.started(ctx);
			}
			super.channelRead(ctx, msg);
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) throws Exception {
			this.head.cancel();
			super.channelInactive(ctx);
		}

	}

	/** After the codec: sees decoded heads, and the answers on their way out. */
	private static final class Decoded extends ChannelDuplexHandler {

		private final Head head;

		Decoded(Head head) {
			this.head = head;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
			if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()) {
				this.head.decoded();
			}
			super.channelRead(ctx, msg);
		}

		@Override
		public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
			Object out = msg;
			if (msg instanceof FullHttpResponse response && !response.content().isReadable()
					&& !response.headers().contains(HttpHeaderNames.CONTENT_TYPE)) {
				out = withProblem(response);
			}
			if (out instanceof LastHttpContent) {
				this.head.answered();
				// Reactor Netty 1.3.6 reads a keep-alive connection on demand and can forget to ask
				// for the next read once a request queued behind a terminating one has been answered
				// (reactor/reactor-netty#4361, fixed in 1.3.8, which needs a newer Netty than Boot
				// manages): the client's next request would then never be read. Asking once more after
				// each answer, in a task of its own once the answer's handling is done, re-arms it;
				// a read asked for twice is one read.
				promise = promise.unvoid();
				promise.addListener((written) -> ctx.executor().execute(() -> {
					if (ctx.channel().isActive() && !ctx.isRemoved()) {
						ctx.read();
					}
				}));
			}
			super.write(ctx, out, promise);
		}

		private static Object withProblem(FullHttpResponse response) {
			HttpStatus status = HttpStatus.resolve(response.status().code());
			String detail = (status == null) ? null : switch (status) {
				case URI_TOO_LONG -> "The request line is over the limit (server.netty.max-initial-line-length).";
				case REQUEST_HEADER_FIELDS_TOO_LARGE ->
					"The request's headers are over the limit (server.max-http-request-header-size).";
				case BAD_REQUEST -> "The request's line or headers are not well-formed HTTP.";
				default -> null;
			};
			if (detail == null) {
				return response;
			}
			String title = switch (status) {
				case URI_TOO_LONG -> "URI too long";
				case REQUEST_HEADER_FIELDS_TOO_LARGE -> "Request headers too large";
				default -> "Malformed request";
			};
			byte[] body = RawProblems.body(status, title, detail);
			FullHttpResponse problem = response.replace(Unpooled.wrappedBuffer(body));
			response.release();
			problem.headers()
				.set(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
				.set(HttpHeaderNames.CONTENT_LENGTH, body.length)
				.set("x-content-type-options", "nosniff");
			return problem;
		}

	}

}
