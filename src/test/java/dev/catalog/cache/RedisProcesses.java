package dev.catalog.cache;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real Redis server processes on loopback ports, from Debian's {@code redis-server} and
 * {@code redis-cli} (CI installs them; tests skip with a message where they are missing): a
 * Redis Cluster of three primaries with a replica each, or a primary, its replica and a
 * sentinel. Failures are injected for real: {@link #kill} sends SIGKILL.
 */
final class RedisProcesses implements AutoCloseable {

	static final String SERVER = "/usr/bin/redis-server";

	static final String CLI = "/usr/bin/redis-cli";

	private final Path directory;

	private final Map<Integer, Process> processes = new LinkedHashMap<>();

	private RedisProcesses() {
		try {
			this.directory = Files.createTempDirectory("catalog-redis-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static void assumeInstalled() {
		assumeTrue(Files.isExecutable(Path.of(SERVER)) && Files.isExecutable(Path.of(CLI)),
				"needs Debian's redis-server and redis-cli (apt-get install redis-server); .ci/run installs them");
	}

	/** Three primaries and three replicas, every slot covered, each replica in sync. */
	static RedisProcesses cluster() {
		assumeInstalled();
		RedisProcesses redis = new RedisProcesses();
		List<String> nodes = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			int port = freePort();
			// a node is failed after 1 s unanswered; a replica may always be promoted; the slots
			// of the other primaries stay served while one is failing over
			redis.start(port, "--cluster-enabled", "yes", "--cluster-config-file", "nodes-" + port + ".conf",
					"--cluster-node-timeout", "1000", "--cluster-replica-validity-factor", "0",
					"--cluster-require-full-coverage", "no");
			nodes.add("127.0.0.1:" + port);
		}
		List<String> create = new ArrayList<>(List.of(CLI, "--cluster", "create"));
		create.addAll(nodes);
		create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
		run(create);
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> redis.ports()
			.stream()
			.allMatch((port) -> cli(port, "cluster", "info").contains("cluster_state:ok")) && redis.replicasInSync());
		return redis;
	}

	/** A primary, a replica of it and one sentinel watching them under the name {@code main}. */
	static RedisProcesses sentinel() {
		assumeInstalled();
		RedisProcesses redis = new RedisProcesses();
		int primary = freePort();
		int replica = freePort();
		redis.start(primary);
		redis.start(replica, "--replicaof", "127.0.0.1", Integer.toString(primary));
		int sentinel = freePort();
		Path config = redis.directory.resolve("sentinel-" + sentinel + ".conf");
		try {
			Files.writeString(config, String.join("\n", "port " + sentinel, "bind 127.0.0.1",
					"sentinel monitor main 127.0.0.1 " + primary + " 1", "sentinel down-after-milliseconds main 1000",
					"sentinel failover-timeout main 5000", ""));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		redis.startProcess(sentinel, List.of(SERVER, config.toString(), "--sentinel"));
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> cli(primary, "info", "replication").contains("connected_slaves:1")
					&& cli(sentinel, "sentinel", "replicas", "main").contains(Integer.toString(replica)));
		return redis;
	}

	List<Integer> ports() {
		return new ArrayList<>(this.processes.keySet());
	}

	/** {@code host:port} of the cluster's nodes, for {@code spring.data.redis.cluster.nodes}. */
	String nodes() {
		return String.join(",", ports().stream().map((port) -> "127.0.0.1:" + port).toList());
	}

	/** The cluster primary that serves {@code key} now. */
	int primaryOf(String key) {
		int port = livePort();
		String slot = cli(port, "cluster", "keyslot", key).trim();
		for (String line : cli(port, "cluster", "nodes").split("\n")) {
			String[] fields = line.trim().split(" ");
			if (fields.length > 8 && fields[2].contains("master") && !fields[2].contains("fail")) {
				for (int i = 8; i < fields.length; i++) {
					String[] range = fields[i].split("-");
					int from = Integer.parseInt(range[0]);
					int to = Integer.parseInt(range[range.length - 1]);
					if (Integer.parseInt(slot) >= from && Integer.parseInt(slot) <= to) {
						return Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1, fields[1].indexOf('@')));
					}
				}
			}
		}
		throw new IllegalStateException("No primary serves slot " + slot);
	}

	/** How many commands of a kind the live nodes ran (e.g. {@code mget}, {@code evalsha}). */
	long calls(String command) {
		long calls = 0;
		for (int port : this.processes.keySet()) {
			if (this.processes.get(port).isAlive()) {
				for (String line : cli(port, "info", "commandstats").split("\r?\n")) {
					if (line.startsWith("cmdstat_" + command + ":")) {
						calls += Long.parseLong(line.replaceAll("^cmdstat_[^:]+:calls=(\\d+),.*", "$1"));
					}
				}
			}
		}
		return calls;
	}

	/** SIGKILL: no shutdown, no last write to disk, no goodbye to the cluster. */
	void kill(int port) {
		Process process = this.processes.get(port);
		process.destroyForcibly();
		try {
			process.waitFor(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	boolean replicasInSync() {
		int port = livePort();
		return cli(port, "cluster", "nodes").lines().filter((line) -> line.contains("slave")).count() == 3
				&& ports().stream()
					.filter((p) -> cli(p, "role").startsWith("master"))
					.allMatch((p) -> cli(p, "info", "replication").contains("connected_slaves:1"));
	}

	private int livePort() {
		return this.processes.entrySet()
			.stream()
			.filter((entry) -> entry.getValue().isAlive())
			.findFirst()
			.orElseThrow()
			.getKey();
	}

	private void start(int port, String... settings) {
		List<String> command = new ArrayList<>(List.of(SERVER, "--port", Integer.toString(port), "--bind",
				"127.0.0.1", "--dir", this.directory.toString(), "--save", "", "--appendonly", "no"));
		command.addAll(List.of(settings));
		startProcess(port, command);
	}

	private void startProcess(int port, List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(this.directory.resolve("redis-" + port + ".log").toFile())
				.start();
			this.processes.put(port, process);
			await().atMost(Duration.ofSeconds(10))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> cli(port, "ping").contains("PONG"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String cli(int port, String... arguments) {
		List<String> command = new ArrayList<>(List.of(CLI, "-h", "127.0.0.1", "-p", Integer.toString(port)));
		command.addAll(List.of(arguments));
		return run(command);
	}

	private static String run(List<String> command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor(20, TimeUnit.SECONDS);
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public void close() {
		this.processes.values().forEach(Process::destroyForcibly);
	}

}
