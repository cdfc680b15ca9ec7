package dev.catalog.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The deployment of {@code deploy/local.sh} as the tests drive it: started once on a free block of
 * loopback ports with its state under {@code target/}, its processes found by the pids the script
 * records, failures injected for real (SIGKILL, {@code pg_wal_replay_pause()}, a stopped server),
 * and plain HTTP to the balancer or to one instance.
 */
final class Deployment implements AutoCloseable {

	static final String TOKEN = "deployment-tests-token-0123456789";

	private static final Path SCRIPT = Path.of("deploy/local.sh").toAbsolutePath();

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(20);

	final Path directory;

	final int basePort;

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private Deployment(Path directory, int basePort) {
		this.directory = directory;
		this.basePort = basePort;
	}

	/** Skips (with what is missing) where the machine lacks a tool the script needs. */
	static void assumeTools() {
		List<String> missing = Stream.of("/usr/sbin/nginx", "/usr/bin/redis-server", "/usr/bin/redis-cli",
				"/usr/bin/psql", "/usr/bin/pg_basebackup")
			.filter((tool) -> !Files.isExecutable(Path.of(tool)))
			.toList();
		boolean server = Files.isDirectory(Path.of("/usr/lib/postgresql"));
		assumeTrue(missing.isEmpty() && server, () -> "the deployment tests need Debian's nginx, redis-server and "
				+ "postgresql (apt-get install nginx redis-server postgresql; .ci/run installs them); missing: "
				+ (server ? missing : Stream.concat(missing.stream(), Stream.of("/usr/lib/postgresql")).toList()));
	}

	/** {@code deploy/local.sh up} on free ports: three instances, nginx, the cluster, primary and replica. */
	static Deployment up() {
		assumeTools();
		Path directory = Path.of("target/deploy-it").toAbsolutePath();
		Deployment deployment = new Deployment(directory, freeBlock());
		deployment.script("purge");
		try {
			deployment.script("up");
		}
		catch (RuntimeException ex) {
			// what did start must not outlive the test run
			System.out.println(deployment.script("status"));
			deployment.script("purge");
			throw ex;
		}
		return deployment;
	}

	String script(String command) {
		return run(Duration.ofMinutes(8), Map.of("DEPLOY_DIR", this.directory.toString(), "DEPLOY_BASE_PORT",
				Integer.toString(this.basePort), "DEPLOY_API_TOKEN", TOKEN, "DEPLOY_SEED_ARTIFACTS", "200",
				// the instances report ready without sending themselves thousands of requests first, and
				// start sooner with the quick compiler alone (the tests measure no throughput)
				"CATALOG_CACHE_WARM_UP_REQUESTS", "0", "DEPLOY_JAVA_OPTS",
				"-Xms128m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1"),
				List.of(SCRIPT.toString(), command));
	}

	int nginxPort() {
		return this.basePort;
	}

	List<Integer> instancePorts() {
		return List.of(this.basePort + 1, this.basePort + 2, this.basePort + 3);
	}

	int primaryPort() {
		return this.basePort + 10;
	}

	int replicaPort() {
		return this.basePort + 11;
	}

	List<Integer> redisPorts() {
		return IntStream.range(20, 26).mapToObj((i) -> this.basePort + i).toList();
	}

	/** The pid {@code deploy/local.sh} recorded for instance 1, 2 or 3. */
	long instancePid(int instance) {
		return pid(this.directory.resolve("service-" + instance + ".pid"));
	}

	long redisPid(int port) {
		return pid(this.directory.resolve("redis/" + port + "/redis.pid"));
	}

	/** SIGKILL: no shutdown hook, no goodbye to anyone. */
	static void kill(long pid) {
		ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no process " + pid));
		process.destroyForcibly();
		try {
			process.onExit().get(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException("process " + pid + " did not die", ex);
		}
	}

	/** {@code pg_ctl stop -m immediate} of the replica: its server processes quit without a checkpoint. */
	void stopReplica() {
		Path pgCtl;
		try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
			pgCtl = versions.map((version) -> version.resolve("bin/pg_ctl"))
				.filter(Files::isExecutable)
				.max(Comparator.comparingInt((Path path) -> Integer.parseInt(path.getName(path.getNameCount() - 3).toString())))
				.orElseThrow();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<String> command = new ArrayList<>();
		// PostgreSQL's processes run as the postgres user when the script runs as root
		if ("root".equals(System.getProperty("user.name"))) {
			command.addAll(List.of("runuser", "-u", "postgres", "--"));
		}
		command.addAll(List.of(pgCtl.toString(), "stop", "-w", "-m", "immediate", "-D",
				this.directory.resolve("postgresql/replica").toString()));
		run(Duration.ofSeconds(60), Map.of(), command);
	}

	String psql(int port, String sql) {
		return run(Duration.ofSeconds(30), Map.of(), List.of("psql", "-h", "127.0.0.1", "-p", Integer.toString(port),
				"-U", "postgres", "-d", "catalog", "-v", "ON_ERROR_STOP=1", "-tAc", sql))
			.trim();
	}

	String redis(int port, String... arguments) {
		List<String> command = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
		command.addAll(List.of(arguments));
		return run(Duration.ofSeconds(10), Map.of(), command).trim();
	}

	record Answer(int status, String body, String cache, String upstream) {
	}

	Answer get(int port, String path) {
		return send(HttpRequest.newBuilder(uri(port, path)).GET());
	}

	Answer patch(int port, String path, String mergePatch) {
		return send(HttpRequest.newBuilder(uri(port, path))
			.method("PATCH", HttpRequest.BodyPublishers.ofString(mergePatch))
			.header("Content-Type", "application/merge-patch+json")
			.header("Authorization", "Bearer " + TOKEN));
	}

	private Answer send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = this.http.send(request.timeout(REQUEST_TIMEOUT).build(),
					HttpResponse.BodyHandlers.ofString());
			return new Answer(response.statusCode(), response.body(),
					response.headers().firstValue("X-Cache").orElse(null),
					response.headers().firstValue("Server").orElse(""));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static URI uri(int port, String path) {
		return URI.create("http://127.0.0.1:" + port + path);
	}

	@Override
	public void close() {
		System.out.println(script("status"));
		script("purge");
	}

	private static long pid(Path file) {
		try {
			return Long.parseLong(Files.readString(file).trim());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A block of 26 free ports (and the cluster bus ports 10000 above the Redis ones). */
	private static int freeBlock() {
		for (int attempt = 0; attempt < 100; attempt++) {
			int base = ThreadLocalRandom.current().nextInt(20000, 40000);
			if (IntStream.range(0, 26).allMatch((i) -> free(base + i))
					&& IntStream.range(20, 26).allMatch((i) -> free(base + i + 10000))) {
				return base;
			}
		}
		throw new IllegalStateException("no block of free loopback ports");
	}

	private static boolean free(int port) {
		try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static String run(Duration timeout, Map<String, String> environment, List<String> command) {
		try {
			ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
			builder.environment().putAll(environment);
			Process process = builder.start();
			// the script's children (servers started with setsid/daemonize) keep no handle on our pipe
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(command + " timed out:\n" + output);
			}
			if (process.exitValue() != 0 && !command.get(command.size() - 1).equals("status")) {
				throw new IllegalStateException(command + " exited " + process.exitValue() + ":\n" + output);
			}
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

}
