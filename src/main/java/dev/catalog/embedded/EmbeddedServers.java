package dev.catalog.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
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

	private static @Nullable Postgres postgres;

	private static @Nullable Redis redis;

	private EmbeddedServers() {
	}

	/** Connection facts of the embedded PostgreSQL. */
	public record Postgres(PostgresProcess process) {

		public int port() {
			return this.process.port();
		}

		public String r2dbcUrl() {
			return "r2dbc:postgresql://localhost:" + port() + "/postgres";
		}

		public String jdbcUrl() {
			return "jdbc:postgresql://localhost:" + port() + "/postgres";
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
			PostgresProcess process = new PostgresProcess(dataDir.resolve("postgres").toAbsolutePath(), freePort(),
					ephemeral);
			process.start();
			// one hook for whichever server is current: stop it, then drop an ephemeral cluster
			Runtime.getRuntime().addShutdownHook(new Thread(() -> {
				process.stop();
				process.deleteIfEphemeral();
			}, "embedded-postgres-stop"));
			postgres = new Postgres(process);
			logger.info("Embedded PostgreSQL listening on port {} with data in {}", process.port(), process.directory());
		}
		return postgres;
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
		started(postgres, "PostgreSQL").process().stop();
	}

	/** Starts the embedded PostgreSQL again on the same port and data after {@link #stopPostgres()}. */
	public static synchronized void restartPostgres() {
		started(postgres, "PostgreSQL").process().start();
	}

	/** Stops the embedded Redis (its append-only file is kept) so that outages can be tested. */
	public static synchronized void stopRedis() {
		try {
			started(redis, "Redis").server().stop();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Starts the embedded Redis again on the same port and data after {@link #stopRedis()}. */
	public static synchronized void restartRedis() {
		try {
			started(redis, "Redis").server().start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static <T> T started(@Nullable T server, String name) {
		if (server == null) {
			throw new IllegalStateException("No embedded " + name + " was started");
		}
		return server;
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
