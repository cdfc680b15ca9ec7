package dev.catalog.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The load of {@code bench/soak.sh}: a fixed mix of reads (cached and bypassed lists, detail),
 * list streams (NDJSON and SSE, read to their end), writes (merge patches of a description,
 * membership added or removed: the catalog's size stays the same) and long-lived change-feed
 * subscribers that reconnect every minute with {@code Last-Event-ID}.
 * <ul>
 * <li>{@code capacity}: closed loop, {@code connections} requests of the mix in flight for
 * {@code seconds}; prints {@code CAPACITY <req/s>}.</li>
 * <li>{@code run}: open model at {@code rate} requests a second for {@code seconds} (latency
 * from when each request was due, as bench/open.lua does); every minute appends one JSON line to
 * {@code out}: requests due and completed, errors, statuses, p50/p99/p99.9/max in
 * microseconds, change-feed events received and reconnections.</li>
 * </ul>
 * Arguments are {@code key=value}: {@code cached=} and {@code bypassed=} (base URLs of an
 * instance with the cache on and one with it off), {@code token=} (for writes), {@code seconds=},
 * {@code rate=}, {@code connections=}, {@code feeds=} (subscribers, default 4), {@code out=}.
 */
public final class Soak {

	/** An artifact's id: the first of each NDJSON line (its collections have ids too). */
	private static final Pattern ARTIFACT_ID = Pattern.compile("^\\{\"id\":\"([0-9a-f-]{36})\"", Pattern.MULTILINE);

	private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

	private static final String[] TYPES = { "skill", "command", "agent", "mcp", "hook" };

	private final String cached;

	private final String bypassed;

	private final String token;

	private final HttpClient http;

	private final List<String> artifacts;

	private final List<String> collections;

	private final Recorder latencies = new Recorder(3);

	private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();

	private final LongAdder completed = new LongAdder();

	private final LongAdder errors = new LongAdder();

	private final LongAdder feedEvents = new LongAdder();

	private final LongAdder feedConnects = new LongAdder();

	private final AtomicLong writes = new AtomicLong();

	private Soak(Map<String, String> options, ConnectionProvider connections) {
		this.cached = options.get("cached");
		this.bypassed = options.getOrDefault("bypassed", this.cached);
		this.token = options.getOrDefault("token", "");
		this.http = HttpClient.create(connections).responseTimeout(Duration.ofSeconds(30));
		this.artifacts = ids(this.cached + "/api/v1/artifacts?limit=200", "application/x-ndjson", ARTIFACT_ID);
		this.collections = ids(this.cached + "/api/v1/collections?limit=50", "application/json", ID);
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = new HashMap<>();
		for (String arg : args) {
			int eq = arg.indexOf('=');
			options.put(arg.substring(0, eq), arg.substring(eq + 1));
		}
		ConnectionProvider connections = ConnectionProvider.builder("soak")
			.maxConnections(2000)
			.pendingAcquireMaxCount(-1)
			.pendingAcquireTimeout(Duration.ofSeconds(60))
			.build();
		Soak soak = new Soak(options, connections);
		int seconds = Integer.parseInt(options.getOrDefault("seconds", "60"));
		if ("capacity".equals(options.get("mode"))) {
			soak.capacity(Integer.parseInt(options.getOrDefault("connections", "32")), seconds);
		}
		else {
			soak.run(Double.parseDouble(options.get("rate")), seconds,
					Integer.parseInt(options.getOrDefault("feeds", "4")), Path.of(options.get("out")));
		}
		connections.disposeLater().block(Duration.ofSeconds(5));
		System.exit(0);
	}

	private List<String> ids(String url, String accept, Pattern pattern) {
		String body = this.http.headers((headers) -> headers.set("Accept", accept))
			.get()
			.uri(url)
			.responseSingle((response, content) -> content.asString())
			.block();
		List<String> ids = new ArrayList<>();
		Matcher matcher = pattern.matcher((body != null) ? body : "");
		while (matcher.find()) {
			if (!ids.contains(matcher.group(1))) {
				ids.add(matcher.group(1));
			}
		}
		if (ids.isEmpty()) {
			throw new IllegalStateException("No ids at " + url);
		}
		return ids;
	}

	private <T> T any(List<T> from) {
		return from.get(ThreadLocalRandom.current().nextInt(from.size()));
	}

	/** One request of the mix; emits its kind and status once its body was read whole. */
	private Mono<String> next() {
		int dice = ThreadLocalRandom.current().nextInt(100);
		if (dice < 40) {
			String path = switch (dice % 4) {
				case 0 -> "/api/v1/artifacts";
				case 1 -> "/api/v1/artifacts?type=skill";
				case 2 -> "/api/v1/collections";
				default -> "/api/v1/stats";
			};
			return request("cached-list", HttpMethod.GET, this.cached + path, "application/json", null);
		}
		if (dice < 60) {
			String path = (dice % 2 == 0) ? "/api/v1/artifacts?limit=50&type=" + any(List.of(TYPES))
					: "/api/v1/collections/" + any(this.collections) + "/artifacts";
			return request("bypassed-list", HttpMethod.GET, this.bypassed + path, "application/json", null);
		}
		if (dice < 86) {
			String base = (dice % 2 == 0) ? this.cached : this.bypassed;
			return request("detail", HttpMethod.GET, base + "/api/v1/artifacts/" + any(this.artifacts),
					"application/json", null);
		}
		if (dice < 91) {
			return request("ndjson", HttpMethod.GET, this.bypassed + "/api/v1/artifacts?limit=200",
					"application/x-ndjson", null);
		}
		if (dice < 96) {
			return request("sse", HttpMethod.GET, this.cached + "/api/v1/artifacts?limit=200&type=agent",
					"text/event-stream", null);
		}
		String base = (dice % 2 == 0) ? this.cached : this.bypassed;
		if (dice < 98) {
			return request("patch", HttpMethod.PATCH, base + "/api/v1/artifacts/" + any(this.artifacts),
					"application/json", "{\"description\":\"soak " + this.writes.incrementAndGet() + "\"}");
		}
		String membership = base + "/api/v1/collections/" + any(this.collections) + "/artifacts/" + any(this.artifacts);
		return request("membership", (dice == 98) ? HttpMethod.PUT : HttpMethod.DELETE, membership,
				"application/json", null);
	}

	private Mono<String> request(String kind, HttpMethod method, String url, String accept, String json) {
		HttpClient client = this.http.headers((headers) -> {
			headers.set("Accept", accept);
			if (method != HttpMethod.GET) {
				headers.set("Authorization", "Bearer " + this.token);
			}
			if (json != null) {
				headers.set("Content-Type", "application/merge-patch+json");
			}
		});
		HttpClient.ResponseReceiver<?> sender = (json != null)
				? client.request(method).uri(url).send(ByteBufFlux.fromString(Mono.just(json)))
				: client.request(method).uri(url);
		return sender.responseSingle((response, body) -> body.map(ByteBuf::readableBytes)
			.defaultIfEmpty(0)
			.map((bytes) -> kind + " " + response.status().code()));
	}

	private void count(String outcome) {
		this.statuses.computeIfAbsent(outcome, (k) -> new LongAdder()).increment();
		int status = Integer.parseInt(outcome.substring(outcome.indexOf(' ') + 1));
		if (status >= 400) {
			this.errors.increment();
		}
		this.completed.increment();
	}

	private void capacity(int connections, int seconds) {
		long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
		long started = System.nanoTime();
		Flux.range(0, connections)
			.flatMap((worker) -> Mono.defer(this::next)
				.doOnNext(this::count)
				.onErrorResume((ex) -> {
					this.errors.increment();
					return Mono.empty();
				})
				.repeat(() -> System.nanoTime() < end), connections)
			.blockLast();
		double elapsed = (System.nanoTime() - started) / 1e9;
		System.out.printf(Locale.ROOT, "CAPACITY %.1f errors=%d statuses=%s%n", this.completed.sum() / elapsed,
				this.errors.sum(), new TreeMap<>(this.statuses));
	}

	/** A change-feed subscriber: reads events for a minute, then reconnects from the last one it got. */
	private Flux<String> feed(String base, long untilNanos) {
		String[] last = { null };
		return Flux.defer(() -> {
			this.feedConnects.increment();
			return this.http.headers((headers) -> {
				headers.set("Accept", "text/event-stream");
				if (last[0] != null) {
					headers.set("Last-Event-ID", last[0]);
				}
			}).responseTimeout(Duration.ofSeconds(90)).get().uri(base + "/api/v1/changes").responseContent().asString()
				.flatMapIterable((chunk) -> List.of(chunk.split("\n")))
				.doOnNext((line) -> {
					if (line.startsWith("id:")) {
						last[0] = line.substring(3).strip();
					}
					else if (line.startsWith("event:") && !line.contains("heartbeat")) {
						this.feedEvents.increment();
					}
				})
				.take(Duration.ofSeconds(60))
				.onErrorResume((ex) -> Mono.delay(Duration.ofSeconds(1)).then(Mono.empty()));
		}).repeat(() -> System.nanoTime() < untilNanos);
	}

	private void run(double rate, int seconds, int feeds, Path out) throws IOException, InterruptedException {
		long total = (long) (rate * seconds);
		long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
		long end = start + TimeUnit.SECONDS.toNanos(seconds);
		List<reactor.core.Disposable> subscribers = new ArrayList<>();
		for (int i = 0; i < feeds; i++) {
			subscribers.add(feed((i % 2 == 0) ? this.cached : this.bypassed, end).subscribe());
		}
		double intervalNanos = 1e9 / rate;
		ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
		long[] sent = { 0 };
		ticker.scheduleAtFixedRate(() -> {
			long now = System.nanoTime();
			while (sent[0] < total && start + (long) (sent[0] * intervalNanos) <= now) {
				long due = start + (long) (sent[0] * intervalNanos);
				sent[0]++;
				next().subscribe((outcome) -> {
					this.latencies.recordValue(Math.max(1, (System.nanoTime() - due) / 1000));
					count(outcome);
				}, (failure) -> {
					this.latencies.recordValue(Math.max(1, (System.nanoTime() - due) / 1000));
					this.statuses.computeIfAbsent("failed " + failure.getClass().getSimpleName(), (k) -> new LongAdder())
						.increment();
					this.errors.increment();
				});
			}
		}, 0, 200, TimeUnit.MICROSECONDS);
		Files.deleteIfExists(out);
		long[] before = { 0, 0, 0, 0, 0 };
		int minutes = (seconds + 59) / 60;
		for (int minute = 1; minute <= minutes; minute++) {
			long at = start + TimeUnit.SECONDS.toNanos(Math.min(60L * minute, seconds));
			long wait = at - System.nanoTime();
			if (wait > 0) {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
			Histogram histogram = this.latencies.getIntervalHistogram();
			long[] now = { sent[0], this.completed.sum(), this.errors.sum(), this.feedEvents.sum(),
					this.feedConnects.sum() };
			Map<String, Long> byOutcome = new TreeMap<>();
			this.statuses.forEach((k, v) -> byOutcome.put(k, v.sumThenReset()));
			String line = String.format(Locale.ROOT,
					"{\"minute\":%d,\"epoch\":%d,\"rate\":%.1f,\"due\":%d,\"completed\":%d,\"errors\":%d,"
							+ "\"p50_us\":%d,\"p99_us\":%d,\"p999_us\":%d,\"max_us\":%d,\"feed_events\":%d,"
							+ "\"feed_connects\":%d,\"outcomes\":%s}",
					minute, System.currentTimeMillis() / 1000, rate, now[0] - before[0], now[1] - before[1],
					now[2] - before[2], histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99),
					histogram.getValueAtPercentile(99.9), histogram.getMaxValue(), now[3] - before[3],
					now[4] - before[4], json(byOutcome));
			before = now;
			try (PrintWriter writer = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8,
					StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
				writer.println(line);
			}
			System.out.println(line);
		}
		ticker.shutdownNow();
		subscribers.forEach(reactor.core.Disposable::dispose);
	}

	private static String json(Map<String, Long> counts) {
		StringBuilder json = new StringBuilder("{");
		counts.forEach((k, v) -> json.append((json.length() > 1) ? "," : "").append('"').append(k).append("\":").append(v));
		return json.append('}').toString();
	}

}
