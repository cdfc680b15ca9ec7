package dev.catalog.db;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A hot standby of a running PostgreSQL, made as an operator would without
 * {@code pg_basebackup} (the embedded binaries have none): a physical replication slot, the
 * low-level backup API ({@code pg_backup_start}, a copy of the data directory,
 * {@code pg_backup_stop} in the same session, its label file written as {@code backup_label}),
 * then {@code standby.signal} and {@code primary_conninfo}, started with the same embedded
 * binaries on a free port. The primary needs nothing but its defaults ({@code wal_level=replica},
 * {@code max_wal_senders=10}, and the {@code replication} line {@code initdb -A trust} writes).
 */
final class StreamingReplica implements AutoCloseable {

	private static final String SLOT = "catalog_test_replica";

	/** What a base backup leaves out: the primary's runtime files and its WAL (streamed instead). */
	private static final Set<String> SKIPPED = Set.of("postmaster.pid", "postmaster.opts", "epg-lock",
			"standby.signal", "recovery.signal", "backup_label", "tablespace_map");

	private static final List<String> EMPTIED = List.of("pg_wal", "pg_replslot", "pg_stat_tmp", "pg_dynshmem",
			"pg_notify", "pg_serial", "pg_snapshots", "pg_subtrans");

	private final String primaryJdbcUrl;

	private final Path directory;

	private final int port;

	private EmbeddedPostgres server;

	private StreamingReplica(String primaryJdbcUrl, Path directory, int port) {
		this.primaryJdbcUrl = primaryJdbcUrl;
		this.directory = directory;
		this.port = port;
	}

	/** Makes and starts a replica of the primary at {@code primaryPort} (user postgres, trust). */
	static StreamingReplica of(int primaryPort) throws Exception {
		String primary = "jdbc:postgresql://localhost:" + primaryPort + "/postgres";
		StreamingReplica replica = new StreamingReplica(primary, Files.createTempDirectory("catalog-replica-"),
				freePort());
		replica.baseBackup(primaryPort);
		replica.start();
		return replica;
	}

	int port() {
		return this.port;
	}

	String r2dbcUrl() {
		return "r2dbc:postgresql://localhost:" + this.port + "/postgres";
	}

	private void baseBackup(int primaryPort) throws SQLException, IOException {
		try (Connection primary = DriverManager.getConnection(this.primaryJdbcUrl, "postgres", "postgres");
				Statement sql = primary.createStatement()) {
			sql.execute("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
					+ SLOT + "'");
			sql.execute("SELECT pg_create_physical_replication_slot('" + SLOT + "', true)");
			Path source;
			try (ResultSet row = sql.executeQuery("SHOW data_directory")) {
				row.next();
				source = Path.of(row.getString(1));
			}
			sql.execute("SELECT pg_backup_start('catalog-test-replica', true)");
			copy(source, this.directory);
			try (ResultSet row = sql.executeQuery("SELECT labelfile, spcmapfile FROM pg_backup_stop(false)")) {
				row.next();
				Files.writeString(this.directory.resolve("backup_label"), row.getString(1));
				String map = row.getString(2);
				if (map != null && !map.isEmpty()) {
					Files.writeString(this.directory.resolve("tablespace_map"), map);
				}
			}
		}
		Files.createDirectories(this.directory.resolve("pg_wal/archive_status"));
		Files.writeString(this.directory.resolve("standby.signal"), "");
		Files.writeString(this.directory.resolve("postgresql.auto.conf"),
				"\nprimary_conninfo = 'host=localhost port=" + primaryPort + " user=postgres application_name=replica'"
						+ "\nprimary_slot_name = '" + SLOT + "'\nhot_standby = on\n",
				java.nio.file.StandardOpenOption.APPEND, java.nio.file.StandardOpenOption.CREATE);
	}

	private static void copy(Path source, Path target) throws IOException {
		try (Stream<Path> paths = Files.walk(source)) {
			for (Path path : (Iterable<Path>) paths::iterator) {
				Path relative = source.relativize(path);
				if (relative.getNameCount() == 1 && SKIPPED.contains(relative.toString())) {
					continue;
				}
				if (relative.getNameCount() > 1 && EMPTIED.contains(relative.getName(0).toString())) {
					continue;
				}
				Path copy = target.resolve(relative.toString());
				try {
					if (Files.isDirectory(path)) {
						Files.createDirectories(copy);
					}
					else {
						Files.copy(path, copy, StandardCopyOption.REPLACE_EXISTING);
					}
				}
				catch (NoSuchFileException ex) {
					// removed while copying (a temporary file): the WAL replay accounts for it
				}
			}
		}
	}

	/** Starts (or starts again) the replica on its data directory. */
	void start() throws IOException {
		this.server = EmbeddedPostgres.builder()
			.setDataDirectory(this.directory)
			.setCleanDataDirectory(false)
			.setRegisterShutdownHook(false)
			.setPort(this.port)
			.setPGStartupWait(Duration.ofSeconds(60))
			// a hot standby needs at least the primary's
			.setServerConfig("max_connections", "300")
			.setServerConfig("hot_standby_feedback", "on")
			.start();
	}

	/** Runs one statement on the replica (pg_wal_replay_pause() and the like). */
	String query(String statement) throws SQLException {
		try (Connection replica = DriverManager.getConnection(jdbcUrl(), "postgres", "postgres");
				Statement sql = replica.createStatement();
				ResultSet row = sql.executeQuery(statement)) {
			row.next();
			return row.getString(1);
		}
	}

	/** Runs one statement on the primary. */
	String onPrimary(String statement) throws SQLException {
		try (Connection primary = DriverManager.getConnection(this.primaryJdbcUrl, "postgres", "postgres");
				Statement sql = primary.createStatement();
				ResultSet row = sql.executeQuery(statement)) {
			row.next();
			return row.getString(1);
		}
	}

	private String jdbcUrl() {
		return "jdbc:postgresql://localhost:" + this.port + "/postgres";
	}

	/** The postmaster's process id, from its pid file. */
	long pid() throws IOException {
		return Long.parseLong(Files.readAllLines(this.directory.resolve("postmaster.pid")).get(0).strip());
	}

	/** Sends {@code signal} to the postmaster and every process of the server. */
	void signal(String signal) throws IOException, InterruptedException {
		ProcessHandle postmaster = ProcessHandle.of(pid()).orElseThrow();
		List<Long> pids = Stream.concat(Stream.of(postmaster), postmaster.descendants())
			.map(ProcessHandle::pid)
			.toList();
		for (long pid : pids) {
			new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).inheritIO().start().waitFor();
		}
	}

	/** What {@code pg_ctl stop -m immediate} does: SIGQUIT to the postmaster, which ends every backend at once. */
	void stopImmediately() throws IOException, InterruptedException {
		long pid = pid();
		new ProcessBuilder("kill", "-QUIT", Long.toString(pid)).inheritIO().start().waitFor();
		ProcessHandle.of(pid).ifPresent((process) -> process.onExit().join());
	}

	@Override
	public void close() {
		try {
			if (this.server != null) {
				try {
					this.server.close();
				}
				catch (IOException | RuntimeException ex) {
					// stopped already (immediate stop)
				}
			}
			try {
				onPrimary("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '"
						+ SLOT + "'");
			}
			catch (SQLException ex) {
				// the primary is gone with the JVM's other servers
			}
		}
		finally {
			delete(this.directory);
		}
	}

	private static void delete(Path directory) {
		try (Stream<Path> paths = Files.walk(directory)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
