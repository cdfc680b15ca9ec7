package dev.catalog.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One PostgreSQL server process on a fixed port and data directory, which can be stopped and
 * started again on the same data (to test outages). The cluster is initialised only when the
 * directory is empty, and never cleaned by the server itself; an ephemeral one is deleted by
 * {@link #deleteIfEphemeral()} when the JVM exits.
 */
final class PostgresProcess {

	private static final Logger logger = LoggerFactory.getLogger(PostgresProcess.class);

	private final Path directory;

	private final int port;

	private final boolean ephemeral;

	private @Nullable EmbeddedPostgres server;

	PostgresProcess(Path directory, int port, boolean ephemeral) {
		this.directory = directory;
		this.port = port;
		this.ephemeral = ephemeral;
	}

	int port() {
		return this.port;
	}

	Path directory() {
		return this.directory;
	}

	synchronized void start() {
		try {
			Files.createDirectories(this.directory.getParent());
			if (this.server == null && this.ephemeral) {
				deleteRecursively(this.directory);
			}
			this.server = EmbeddedPostgres.builder()
				.setDataDirectory(this.directory)
				.setCleanDataDirectory(false)
				.setRegisterShutdownHook(false)
				.setPort(this.port)
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
		catch (IOException ex) {
			throw new UncheckedIOException("Embedded PostgreSQL did not start in " + this.directory, ex);
		}
	}

	/** Stops the server, keeping its data; logs rather than fails, as it runs in shutdown hooks too. */
	synchronized void stop() {
		if (this.server == null) {
			return;
		}
		try {
			this.server.close();
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Embedded PostgreSQL did not stop cleanly", ex);
		}
	}

	void deleteIfEphemeral() {
		if (this.ephemeral) {
			deleteRecursively(this.directory);
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

}
