package dev.catalog.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.netty.buffer.ByteBuf;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * An open-model load generator: requests start on a fixed schedule whatever the latency of the
 * ones before (as independent users arrive), and each latency is measured from the moment its
 * request was due, not from when a connection was free to send it, so queueing in the service
 * shows in the percentiles instead of slowing the load down (wrk's closed loop hides it:
 * "coordinated omission").
 * <p>
 * <p>
 * The schedule starts with {@code WARMUP} seconds (default 10) at the same rate whose requests
 * are sent but not recorded: a generator that starts cold (its own JIT, its connections) falls
 * behind its schedule in the first seconds, and measuring from when requests were due would
 * charge that to the service. {@code lagMaxUs} says how late the generator itself sent a
 * measured request at worst, and {@code clientCpuUs} its CPU per request, so a run where the
 * generator could not keep up shows as such.
 * <p>
 * {@code java -cp … dev.catalog.bench.OpenModel URL RATE SECONDS [WARMUP]} prints one line of
 * JSON: requests due and completed, errors, and latency percentiles in microseconds.
 */
public final class OpenModel {

	private OpenModel() {
	}

	public static void main(String[] args) throws InterruptedException {
		String url = args[0];
		double rate = Double.parseDouble(args[1]);
		int seconds = Integer.parseInt(args[2]);
		int warmup = (args.length > 3) ? Integer.parseInt(args[3]) : 10;
		ConnectionProvider connections = ConnectionProvider.builder("open-model")
			.maxConnections(2000)
			.pendingAcquireMaxCount(-1)
			.pendingAcquireTimeout(Duration.ofSeconds(60))
			.build();
		HttpClient http = HttpClient.create(connections).responseTimeout(Duration.ofSeconds(30));
		Recorder latencies = new Recorder(3);
		AtomicLong completed = new AtomicLong();
		AtomicLong errors = new AtomicLong();
		long warmupCount = (long) (rate * warmup);
		long total = warmupCount + (long) (rate * seconds);
		CountDownLatch done = new CountDownLatch((int) total);
		long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
		double intervalNanos = 1e9 / rate;
		AtomicLong lagMax = new AtomicLong();
		long[] cpuAtMeasure = { -1 };
		ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
		long[] sent = { 0 };
		ticker.scheduleAtFixedRate(() -> {
			long now = System.nanoTime();
			while (sent[0] < total && start + (long) (sent[0] * intervalNanos) <= now) {
				long due = start + (long) (sent[0] * intervalNanos);
				boolean measured = sent[0] >= warmupCount;
				if (sent[0] == warmupCount) {
					cpuAtMeasure[0] = processCpuNanos();
				}
				if (measured) {
					lagMax.accumulateAndGet(now - due, Math::max);
				}
				sent[0]++;
				http.get().uri(url).responseSingle((response, body) -> body.map(ByteBuf::readableBytes)
					.defaultIfEmpty(0)
					.map((bytes) -> response.status().code()))
					.subscribe((status) -> {
						if (measured) {
							latencies.recordValue(Math.max(1, (System.nanoTime() - due) / 1000));
							if (status >= 400) {
								errors.incrementAndGet();
							}
							completed.incrementAndGet();
						}
						done.countDown();
					}, (failure) -> {
						if (measured) {
							latencies.recordValue(Math.max(1, (System.nanoTime() - due) / 1000));
							errors.incrementAndGet();
						}
						done.countDown();
					});
			}
		}, 0, 200, TimeUnit.MICROSECONDS);
		boolean finished = done.await(warmup + seconds + 40L, TimeUnit.SECONDS);
		long cpuUsed = processCpuNanos() - cpuAtMeasure[0];
		ticker.shutdownNow();
		Histogram histogram = latencies.getIntervalHistogram();
		long measuredCount = total - warmupCount;
		System.out.printf(Locale.ROOT,
				"OPENJSON {\"rate\":%.1f,\"seconds\":%d,\"warmup\":%d,\"due\":%d,\"completed\":%d,\"errors\":%d,"
						+ "\"unfinished\":%d,\"lagMaxUs\":%d,\"clientCpuUs\":%.1f,"
						+ "\"p50_us\":%d,\"p99_us\":%d,\"p999_us\":%d,\"max_us\":%d}%n",
				rate, seconds, warmup, measuredCount, completed.get(), errors.get(), finished ? 0 : done.getCount(),
				lagMax.get() / 1000, cpuUsed / 1000.0 / Math.max(1, measuredCount),
				histogram.getValueAtPercentile(50), histogram.getValueAtPercentile(99),
				histogram.getValueAtPercentile(99.9), histogram.getMaxValue());
		connections.disposeLater().block(Duration.ofSeconds(5));
		System.exit(0);
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

}
