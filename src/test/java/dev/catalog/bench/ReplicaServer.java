package dev.catalog.bench;

import java.nio.file.Path;
import java.time.Duration;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Starts a PostgreSQL server with the embedded binaries on an existing data directory (a base
 * backup prepared as a standby by {@code bench/replicas.sh}) and keeps it running until this
 * process is ended; the embedded binaries start as root where {@code pg_ctl} would not.
 * Arguments: data directory, port, then {@code name=value} server settings.
 */
public final class ReplicaServer {

	private ReplicaServer() {
	}

	public static void main(String[] arguments) throws Exception {
		EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
			.setDataDirectory(Path.of(arguments[0]))
			.setCleanDataDirectory(false)
			.setPort(Integer.parseInt(arguments[1]))
			.setPGStartupWait(Duration.ofSeconds(120));
		for (int i = 2; i < arguments.length; i++) {
			String[] setting = arguments[i].split("=", 2);
			builder.setServerConfig(setting[0], setting[1]);
		}
		EmbeddedPostgres server = builder.start();
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			try {
				server.close();
			}
			catch (Exception ex) {
				// the JVM is ending anyway
			}
		}));
		System.out.println("READY");
		Thread.currentThread().join();
	}

}
