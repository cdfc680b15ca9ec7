package dev.catalog.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The change feed's load client ({@code bench/changes.sh} runs it against two service
 * instances, A taking writes and B serving subscribers). Modes:
 * <ul>
 * <li>{@code latency A B subscribers writes token}: that many SSE subscribers on B; writes on A
 * one after another (20 ms apart); for each write and subscriber, the time from the write's
 * response to the event at the subscriber. Prints p50, p99, max in ms.</li>
 * <li>{@code idle B count pid}: heap of B (after a full GC, {@code jcmd GC.heap_info}) before and
 * with {@code count} idle subscribers connected. Prints bytes per subscriber.</li>
 * <li>{@code throughput A B subscribers seconds writers token}: writes on A as fast as
 * {@code writers} concurrent clients go, for that long, with the subscribers on B; then how long
 * the subscribers take to have every event, and how many were cut off.</li>
 * </ul>
 */
public final class ChangeFeedBench {

	private static final Pattern ID = Pattern.compile("data:\\{\"id\": \"([0-9a-f-]{36})\"");

	private static final ConnectionProvider connections = ConnectionProvider.builder("bench")
		.maxConnections(12_000)
		.pendingAcquireMaxCount(-1)
		.pendingAcquireTimeout(Duration.ofMinutes(2))
		.build();

	private static final HttpClient http = HttpClient.create(connections).responseTimeout(Duration.ofHours(1));

	private ChangeFeedBench() {
	}

	public static void main(String[] args) throws Exception {
		switch (args[0]) {
			case "latency" -> latency(Integer.parseInt(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]),
					Integer.parseInt(args[4]), args[5]);
			case "idle" -> idle(Integer.parseInt(args[1]), Integer.parseInt(args[2]), args[3]);
			case "throughput" -> throughput(Integer.parseInt(args[1]), Integer.parseInt(args[2]),
					Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]), args[6]);
			default -> throw new IllegalArgumentException(args[0]);
		}
		connections.disposeLater().block();
		System.exit(0);
	}

	/** One SSE subscriber: calls back with the artifact id of each event and the time it came. */
	private static Disposable subscribe(int port, AtomicInteger connected, EventSink sink) {
		StringBuilder pending = new StringBuilder();
		return http.headers((headers) -> headers.set("Accept", "text/event-stream"))
			.get()
			.uri("http://localhost:" + port + "/api/v1/changes?event=artifact.created")
			.response((response, body) -> {
				if (response.status().code() != 200) {
					// refused (a limit): not a subscriber; awaitConnected then never completes
					System.err.println("subscriber refused: " + response.status());
					return body.asString(StandardCharsets.UTF_8).filter((chunk) -> false);
				}
				connected.incrementAndGet();
				return body.asString(StandardCharsets.UTF_8);
			})
			.subscribe((chunk) -> {
				long now = System.nanoTime();
				pending.append(chunk);
				int end;
				while ((end = pending.indexOf("\n")) >= 0) {
					String line = pending.substring(0, end);
					pending.delete(0, end + 1);
					Matcher matcher = ID.matcher(line);
					if (matcher.find()) {
						sink.event(matcher.group(1), now);
					}
				}
			}, (failure) -> System.err.println("subscriber failed: " + failure));
	}

	@FunctionalInterface
	interface EventSink {

		void event(String id, long nanos);

	}

	private static String create(int port, String token, String name) {
		String body = "{\"name\":\"" + name + "\",\"type\":\"skill\"}";
		String answer = http.headers((headers) -> headers.set("Authorization", "Bearer " + token)
			.set("Content-Type", "application/json"))
			.post()
			.uri("http://localhost:" + port + "/api/v1/artifacts")
			.send(ByteBufFlux.fromString(Mono.just(body)))
			.responseSingle((response, content) -> content.asString())
			.block(Duration.ofSeconds(30));
		Matcher matcher = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"").matcher(answer);
		if (!matcher.find()) {
			throw new IllegalStateException("unexpected answer " + answer);
		}
		return matcher.group(1);
	}

	private static void awaitConnected(AtomicInteger connected, int count) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
		while (connected.get() < count) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("only " + connected.get() + " of " + count + " subscribers connected");
			}
			Thread.sleep(50);
		}
		Thread.sleep(500);
	}

	private static void latency(int a, int b, int subscribers, int writes, String token) throws Exception {
		Map<String, Long> answered = new ConcurrentHashMap<>();
		Map<String, List<Long>> arrivals = new ConcurrentHashMap<>();
		AtomicInteger connected = new AtomicInteger();
		List<Disposable> streams = new ArrayList<>();
		for (int i = 0; i < subscribers; i++) {
			streams.add(subscribe(b, connected, (id, nanos) -> arrivals
				.computeIfAbsent(id, (key) -> java.util.Collections.synchronizedList(new ArrayList<>()))
				.add(nanos)));
		}
		awaitConnected(connected, subscribers);
		for (int i = 0; i < 20; i++) {
			create(a, token, "warm-up-" + i);
		}
		Thread.sleep(1000);
		arrivals.clear();
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < writes; i++) {
			String id = create(a, token, "latency-" + i);
			answered.put(id, System.nanoTime());
			ids.add(id);
			Thread.sleep(20);
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (System.nanoTime() < deadline && ids.stream()
			.anyMatch((id) -> arrivals.getOrDefault(id, List.of()).size() < subscribers)) {
			Thread.sleep(50);
		}
		long missing = 0;
		List<Long> latencies = new ArrayList<>();
		for (String id : ids) {
			List<Long> times = arrivals.getOrDefault(id, List.of());
			missing += subscribers - times.size();
			for (long time : times) {
				// an event may reach the subscriber before the writer has read its response: 0
				latencies.add(Math.max(0, time - answered.get(id)));
			}
		}
		streams.forEach(Disposable::dispose);
		long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
		System.out.printf("{\"mode\":\"latency\",\"subscribers\":%d,\"writes\":%d,\"events\":%d,\"missing\":%d,"
				+ "\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f}%n", subscribers, writes, sorted.length, missing,
				percentile(sorted, 0.50), percentile(sorted, 0.99), percentile(sorted, 1.0));
	}

	private static double percentile(long[] sorted, double p) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int index = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
		return sorted[Math.max(0, index)] / 1e6;
	}

	private static void idle(int b, int count, String pid) throws Exception {
		long before = heapAfterGc(pid);
		AtomicInteger connected = new AtomicInteger();
		List<Disposable> streams = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			streams.add(subscribe(b, connected, (id, nanos) -> {
			}));
		}
		awaitConnected(connected, count);
		Thread.sleep(2000);
		long with = heapAfterGc(pid);
		// where it goes: the classes holding most of the heap with every subscriber connected
		run("jcmd", pid, "GC.class_histogram").lines().limit(40).forEach(System.err::println);
		// every stream still open on B as the heap was measured (not closed and reconnected)
		double open = metric(b, "catalog.changes.subscribers");
		streams.forEach(Disposable::dispose);
		System.out.printf("{\"mode\":\"idle\",\"subscribers\":%d,\"open_on_b\":%.0f,\"heap_before_kb\":%d,"
				+ "\"heap_with_kb\":%d,\"bytes_per_subscriber\":%d}%n", count, open, before / 1024, with / 1024,
				(with - before) / count);
	}

	/** Used heap of the process after a full collection, from {@code jcmd}. */
	private static long heapAfterGc(String pid) throws IOException, InterruptedException {
		run("jcmd", pid, "GC.run");
		run("jcmd", pid, "GC.run");
		String info = run("jcmd", pid, "GC.heap_info");
		Matcher matcher = Pattern.compile("used (\\d+)K").matcher(info);
		if (!matcher.find()) {
			throw new IllegalStateException(info);
		}
		return Long.parseLong(matcher.group(1)) * 1024;
	}

	private static String run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		process.waitFor();
		return output;
	}

	private static void throughput(int a, int b, int subscribers, int seconds, int writers, String token)
			throws Exception {
		AtomicLong received = new AtomicLong();
		AtomicInteger connected = new AtomicInteger();
		List<Disposable> streams = new ArrayList<>();
		for (int i = 0; i < subscribers; i++) {
			streams.add(subscribe(b, connected, (id, nanos) -> received.incrementAndGet()));
		}
		awaitConnected(connected, subscribers);
		double cutOffBefore = metric(b, "catalog.changes.lag.disconnects");
		AtomicLong written = new AtomicLong();
		long started = System.nanoTime();
		long until = started + Duration.ofSeconds(seconds).toNanos();
		Flux.range(0, writers)
			.flatMap((writer) -> Mono.fromCallable(() -> create(a, token, "load-" + writer + "-" + written.get()))
				.subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
				.doOnNext((id) -> written.incrementAndGet())
				.repeat(() -> System.nanoTime() < until), writers)
			.blockLast();
		double elapsed = (System.nanoTime() - started) / 1e9;
		long expected = written.get() * subscribers;
		long drainStart = System.nanoTime();
		long deadline = drainStart + Duration.ofSeconds(60).toNanos();
		while (received.get() < expected && System.nanoTime() < deadline) {
			Thread.sleep(20);
		}
		double drained = (System.nanoTime() - drainStart) / 1e9;
		double cutOff = metric(b, "catalog.changes.lag.disconnects") - cutOffBefore;
		streams.forEach(Disposable::dispose);
		System.out.printf("{\"mode\":\"throughput\",\"subscribers\":%d,\"writers\":%d,\"seconds\":%.1f,"
				+ "\"writes\":%d,\"writes_per_s\":%.1f,\"events_expected\":%d,\"events_received\":%d,"
				+ "\"drain_after_last_write_s\":%.2f,\"lag_disconnects\":%.0f}%n", subscribers, writers, elapsed,
				written.get(), written.get() / elapsed, expected, received.get(), drained, cutOff);
	}

	private static double metric(int port, String name) {
		String body = http.get()
			.uri("http://localhost:" + port + "/actuator/metrics/" + name)
			.responseSingle((response, content) -> content.asString())
			.block(Duration.ofSeconds(10));
		Matcher matcher = Pattern.compile("\"value\":([0-9.E]+)").matcher(body);
		return matcher.find() ? Double.parseDouble(matcher.group(1)) : Double.NaN;
	}

}
