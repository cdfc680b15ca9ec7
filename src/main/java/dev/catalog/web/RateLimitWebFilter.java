package dev.catalog.web;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.Connection;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Per-client rate limits on everything under {@code /api/} ({@link RateLimitProperties}): each
 * request takes a token from its client's bucket of its kind (reads, streams, writes); with
 * none left it is refused with 429 problem+json and {@code Retry-After} (the time until one
 * token is back) before any other work. Every answer says its policy and what is left, as the
 * IETF draft "RateLimit header fields for HTTP" (draft-ietf-httpapi-ratelimit-headers) puts it:
 * {@code RateLimit-Policy: "reads";q=200;w=2} (a quota of {@code burst} requests per the
 * seconds that refill it whole) and {@code RateLimit: "reads";r=42;t=1} (remaining, and the
 * seconds until the bucket is full again).
 * <p>
 * A client is its bearer token where the service accepts it (hashed: no raw token becomes a
 * Redis key; an unknown token counts as its sender's address, so made-up tokens are no way
 * around the limit), otherwise its address: the socket's, or where the socket is a trusted
 * proxy's, the last address of {@code X-Forwarded-For} that is not a trusted proxy.
 * <p>
 * A client also has at most {@link RateLimitProperties#maxStreamsPerClient()} streams open on
 * one instance; one more is a 429 at once (counted per instance: a count in Redis would outlive
 * an instance killed with its streams open).
 * <p>
 * The instance's requests to itself ({@link SelfRequests}: the cache warm-up) are not limited.
 */
class RateLimitWebFilter implements WebFilter, Ordered {

	static final String POLICY = "RateLimit-Policy";

	static final String REMAINING = "RateLimit";

	private final RateLimitProperties properties;

	private final ClientBuckets buckets;

	private final ApiTokens tokens;

	private final TrustedProxies proxies;

	private final SelfRequests self;

	private final Map<Kind, BucketConfiguration> configurations;

	private final Map<String, AtomicInteger> openStreams = new ConcurrentHashMap<>();

	private final Counter refused;

	private final HandedOffStreams handedOff;

	RateLimitWebFilter(RateLimitProperties properties, ClientBuckets buckets, ApiTokens tokens, SelfRequests self,
			MeterRegistry registry, HandedOffStreams handedOff) {
		this.properties = properties;
		this.handedOff = handedOff;
		this.self = self;
		this.buckets = buckets;
		this.tokens = tokens;
		this.proxies = TrustedProxies.of(properties.trustedProxies());
		this.configurations = Map.of(Kind.READS, ClientBuckets.configuration(properties.reads()), Kind.STREAMS,
				ClientBuckets.configuration(properties.streams()), Kind.WRITES,
				ClientBuckets.configuration(properties.writes()));
		this.refused = Counter.builder("catalog.rate-limit.refused")
			.description("API requests refused with 429 because their client was over its limit")
			.register(registry);
	}

	@Override
	public int getOrder() {
		// after the in-flight limit (which costs nothing, while this may ask Redis), before
		// statement accounting and the token check: a refused request costs one bucket lookup
		return Ordered.HIGHEST_PRECEDENCE + 3;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		if (!this.properties.enabled() || !request.getPath().pathWithinApplication().value().startsWith("/api/")
				|| HttpMethod.OPTIONS.equals(request.getMethod()) || this.self.isSelf(request)) {
			return chain.filter(exchange);
		}
		Kind kind = Kind.of(request);
		RateLimitProperties.Policy policy = kind.policy(this.properties);
		String client = client(request);
		return this.buckets.tryConsume(kind.label + ":" + client, this.configurations.get(kind))
			.flatMap((probe) -> onRequestLoop(exchange, () -> decided(exchange, chain, kind, policy, client, probe)));
	}

	private Mono<Void> decided(ServerWebExchange exchange, WebFilterChain chain, Kind kind,
			RateLimitProperties.Policy policy, String client, ConsumptionProbe probe) {
		HttpHeaders headers = exchange.getResponse().getHeaders();
		headers.set(POLICY, policyHeader(kind, policy));
		headers.set(REMAINING, remainingHeader(kind, probe));
		if (!probe.isConsumed()) {
			this.refused.increment();
			return Mono.error(new TooManyRequestsException("This client is over its limit of " + policy.perSecond()
					+ " " + kind.label + " a second (bursts of " + policy.capacity() + "); try again after Retry-After.",
					Duration.ofNanos(probe.getNanosToWaitForRefill())));
		}
		return (kind == Kind.STREAMS) ? stream(client, exchange, chain) : chain.filter(exchange);
	}

	/**
	 * Goes on with the request on its connection's event loop when the decision came back on
	 * another thread: Redis's answers arrive on Lettuce's one I/O thread, where the rest of the
	 * request (every filter and handler up to its next await) would delay decoding every other
	 * answer on the shared connection, and a failed connection attempt ends on a timer or
	 * elastic thread.
	 */
	private static Mono<Void> onRequestLoop(ServerWebExchange exchange, Supplier<Mono<Void>> next) {
		Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(exchange.getRequest());
		if (nativeRequest instanceof Connection connection) {
			EventLoop loop = connection.channel().eventLoop();
			if (!loop.inEventLoop()) {
				return Mono.defer(next).subscribeOn(Schedulers.fromExecutor(loop));
			}
		}
		return next.get();
	}

	private Mono<Void> stream(String client, ServerWebExchange exchange, WebFilterChain chain) {
		int max = this.properties.maxStreamsPerClient();
		if (max == 0) {
			return chain.filter(exchange);
		}
		AtomicInteger open = this.openStreams.computeIfAbsent(client, (c) -> new AtomicInteger());
		if (open.incrementAndGet() > max) {
			release(client, open);
			this.refused.increment();
			return Mono.error(new TooManyRequestsException(
					"This client has " + max + " streams open already; close one first.", Duration.ofSeconds(1)));
		}
		// a stream handed off to be written after the chain is open until that ends
		return chain.filter(exchange)
			.doFinally((signal) -> this.handedOff.whenEnded(exchange.getResponse(), () -> release(client, open)));
	}

	private void release(String client, AtomicInteger open) {
		if (open.decrementAndGet() <= 0) {
			this.openStreams.remove(client, open);
		}
	}

	/** The client this request counts against: {@code t:} and a token hash, or {@code a:} and an address. */
	String client(ServerHttpRequest request) {
		String authorization = request.getHeaders().getFirst(HttpHeaders.AUTHORIZATION);
		if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
			String token = authorization.substring(7).strip();
			if (!token.isEmpty() && this.tokens.accepts(token)) {
				byte[] hash = Digests.sha256(token.getBytes(StandardCharsets.UTF_8));
				return "t:" + HexFormat.of().formatHex(hash, 0, 16);
			}
		}
		InetSocketAddress remote = request.getRemoteAddress();
		InetAddress address = (remote != null) ? remote.getAddress() : null;
		if (address != null && this.proxies.contains(address)) {
			address = forwardedFor(request.getHeaders().getValuesAsList("X-Forwarded-For"), address);
		}
		return "a:" + ((address != null) ? address.getHostAddress() : "unknown");
	}

	/** The last address of the chain that is not a trusted proxy, or the proxy itself if none is. */
	private InetAddress forwardedFor(List<String> forwarded, InetAddress proxy) {
		for (int i = forwarded.size() - 1; i >= 0; i--) {
			InetAddress hop = TrustedProxies.literal(forwarded.get(i));
			if (hop == null) {
				// not an address: the chain cannot be trusted from here on
				return proxy;
			}
			if (!this.proxies.contains(hop)) {
				return hop;
			}
		}
		return proxy;
	}

	static String policyHeader(Kind kind, RateLimitProperties.Policy policy) {
		long window = Math.max(1, (policy.capacity() + policy.perSecond() - 1) / policy.perSecond());
		return "\"" + kind.label + "\";q=" + policy.capacity() + ";w=" + window;
	}

	static String remainingHeader(Kind kind, ConsumptionProbe probe) {
		long reset = (probe.getNanosToWaitForReset() + 999_999_999L) / 1_000_000_000L;
		return "\"" + kind.label + "\";r=" + probe.getRemainingTokens() + ";t=" + reset;
	}

	enum Kind {

		READS("reads"), STREAMS("streams"), WRITES("writes");

		final String label;

		Kind(String label) {
			this.label = label;
		}

		RateLimitProperties.Policy policy(RateLimitProperties properties) {
			RateLimitProperties.Policy policy = switch (this) {
				case READS -> properties.reads();
				case STREAMS -> properties.streams();
				case WRITES -> properties.writes();
			};
			return (policy != null) ? policy : RateLimitProperties.Policy.orDefault(null, 1);
		}

		static Kind of(ServerHttpRequest request) {
			HttpMethod method = request.getMethod();
			if (!HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
				return WRITES;
			}
			String accept = String.join(",", request.getHeaders().getValuesAsList(HttpHeaders.ACCEPT))
				.toLowerCase(Locale.ROOT);
			return (accept.contains("application/x-ndjson") || accept.contains("text/event-stream")) ? STREAMS : READS;
		}

	}

}
