package dev.catalog.change;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import dev.catalog.TestCatalog;
import dev.catalog.CatalogApplication;
import dev.catalog.TestServers;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The change feed across two instances (two application contexts in this JVM) sharing one
 * PostgreSQL and one Redis: writes go to A, subscribers mostly listen on B.
 */
@ExtendWith(TestServers.class)
class ChangeFeedIntegrationTests {

	private static final String TOKEN = "feed-tests-token";

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	/** B's: a client that takes no write for this long is disconnected. */
	private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(1);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE = new ParameterizedTypeReference<>() {
	};

	/** Enough connections for a thousand streams at once; the default pool has a few dozen. */
	private static final ConnectionProvider connections = ConnectionProvider.builder("feed-tests")
		.maxConnections(1500)
		.pendingAcquireMaxCount(-1)
		.build();

	private static Instance a;

	private static Instance b;

	record Instance(ConfigurableApplicationContext context, WebClient http, int port) {

		static Instance start(String... properties) {
			List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--catalog.api-tokens=" + TOKEN,
					"--spring.r2dbc.pool.max-acquire-time=10s", "--spring.r2dbc.pool.max-create-connection-time=10s",
					"--catalog.redis.command-timeout=5s", "--catalog.redis.connect-timeout=5s"));
			arguments.addAll(List.of(properties));
			ConfigurableApplicationContext context = new SpringApplicationBuilder(CatalogApplication.class)
				.profiles("test")
				.run(arguments.toArray(String[]::new));
			int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
			WebClient http = WebClient.builder()
				.baseUrl("http://localhost:" + port)
				.clientConnector(new ReactorClientHttpConnector(HttpClient.create(connections)))
				.build();
			return new Instance(context, http, port);
		}

		double meter(String name) {
			var search = this.context.getBean(MeterRegistry.class).find(name);
			return search.counters().stream().mapToDouble((counter) -> counter.count()).sum()
					+ search.gauges().stream().mapToDouble((gauge) -> gauge.value()).sum();
		}

		int subscribers() {
			return this.context.getBean(ChangeFeed.class).subscribers();
		}

		/** Writes through the API, answering the created or changed JSON. */
		JsonNode write(String method, String path, String body) {
			String answer = this.http.method(org.springframework.http.HttpMethod.valueOf(method))
				.uri(path)
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
				.contentType(method.equals("PATCH") ? MediaType.valueOf("application/merge-patch+json")
						: MediaType.APPLICATION_JSON)
				.bodyValue(body)
				.retrieve()
				.bodyToMono(String.class)
				.defaultIfEmpty("{}")
				.block(TIMEOUT);
			return json.readTree(answer);
		}

		String createArtifact(String name, String type) {
			return write("POST", "/api/v1/artifacts", "{\"name\":\"" + name + "\",\"type\":\"" + type + "\"}").get("id")
				.asString();
		}

		/**
		 * A stream of the feed, heartbeats left out, held until closed; open (its first
		 * heartbeat came: every change committed from now on is on it) or ended.
		 */
		Events follow(String query, String lastEventId) {
			Events events = new Events(this.http.get()
				.uri("/api/v1/changes" + query)
				.accept(MediaType.TEXT_EVENT_STREAM)
				.headers((headers) -> {
					if (lastEventId != null) {
						headers.set("Last-Event-ID", lastEventId);
					}
				})
				.retrieve()
				.bodyToFlux(SSE));
			await().atMost(TIMEOUT).until(() -> events.heartbeats.get() > 0 || events.ended);
			return events;
		}

	}

	/** What a subscriber received, in order. */
	static final class Events implements AutoCloseable {

		final BlockingQueue<ServerSentEvent<String>> received = new LinkedBlockingQueue<>();

		final AtomicInteger heartbeats = new AtomicInteger();

		volatile boolean ended;

		final Disposable subscription;

		Events(Flux<ServerSentEvent<String>> events) {
			this.subscription = events.doFinally((signal) -> this.ended = true).subscribe((event) -> {
				if (event.event() == null) {
					this.heartbeats.incrementAndGet();
				}
				else {
					this.received.add(event);
				}
			}, (failure) -> {
			});
		}

		ServerSentEvent<String> next() throws InterruptedException {
			ServerSentEvent<String> event = this.received.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			assertThat(event).as("an event within " + TIMEOUT).isNotNull();
			return event;
		}

		List<ServerSentEvent<String>> next(int count) throws InterruptedException {
			List<ServerSentEvent<String>> events = new ArrayList<>();
			for (int i = 0; i < count; i++) {
				events.add(next());
			}
			return events;
		}

		void nothingWithin(Duration duration) throws InterruptedException {
			assertThat(this.received.poll(duration.toMillis(), TimeUnit.MILLISECONDS)).isNull();
		}

		@Override
		public void close() {
			this.subscription.dispose();
		}

	}

	@BeforeAll
	static void startInstances() {
		a = Instance.start("--catalog.changes.max-subscribers=3", "--catalog.changes.heartbeat=300ms");
		b = Instance.start("--catalog.changes.buffer=100", "--catalog.changes.batch-size=50",
				"--catalog.changes.max-subscribers=2000", "--catalog.changes.poll-interval=2s",
				"--catalog.http.write-timeout=" + WRITE_TIMEOUT.toMillis() + "ms");
	}

	@AfterAll
	static void stopInstances() {
		if (b != null) {
			b.context().close();
		}
		if (a != null) {
			a.context().close();
		}
	}

	@BeforeEach
	void emptyCatalog() {
		TestCatalog.emptyCatalogAndChanges(database()).block(TIMEOUT);
		database().sql("DELETE FROM catalog_settings WHERE name = 'changes-pruned-through'").then().block(TIMEOUT);
		await().atMost(TIMEOUT).until(() -> a.subscribers() == 0 && b.subscribers() == 0);
	}

	private static DatabaseClient database() {
		return a.context().getBean(DatabaseClient.class);
	}

	private static Connection jdbc() throws Exception {
		var environment = a.context().getEnvironment();
		return DriverManager.getConnection(environment.getRequiredProperty("spring.liquibase.url"),
				environment.getRequiredProperty("spring.liquibase.user"),
				environment.getRequiredProperty("spring.liquibase.password"));
	}

	private static JsonNode data(ServerSentEvent<String> event) {
		return json.readTree(event.data());
	}

	@Test
	void aWriteOnOneInstanceReachesASubscriberOnTheOther() throws Exception {
		try (Events events = b.follow("", null)) {
			String id = a.createArtifact("Feed me", "skill");
			ServerSentEvent<String> event = events.next();
			assertThat(event.event()).isEqualTo("artifact.created");
			assertThat(event.id()).isNotBlank();
			JsonNode artifact = data(event);
			assertThat(artifact.get("id").asString()).isEqualTo(id);
			assertThat(artifact.get("name").asString()).isEqualTo("Feed me");
			assertThat(artifact.get("type").asString()).isEqualTo("skill");
			assertThat(artifact.get("collections").size()).isZero();
			assertThat(artifact.has("createdAt") && artifact.has("updatedAt") && artifact.has("tags")).isTrue();
			JsonNode listed = json.readTree(a.http.get()
				.uri("/api/v1/artifacts?limit=1")
				.retrieve()
				.bodyToMono(String.class)
				.block(TIMEOUT)).get("items").get(0);
			assertThat(artifact).as("the event's artifact is the list's, instants included").isEqualTo(listed);
		}
	}

	@Test
	void everyKindOfWriteIsOneEventInOrderCarryingWhatAListNeeds() throws Exception {
		try (Events events = b.follow("", null)) {
			String artifact = a.createArtifact("Kinds", "agent");
			String collection = a.write("POST", "/api/v1/collections", "{\"name\":\"Shelf\"}").get("id").asString();
			a.write("PATCH", "/api/v1/artifacts/" + artifact, "{\"description\":\"now described\",\"tags\":[\"x\"]}");
			a.write("POST", "/api/v1/artifacts/" + artifact + "/versions", "{\"version\":\"1.0.0\"}");
			a.write("PUT", "/api/v1/collections/" + collection + "/artifacts/" + artifact, "{}");
			a.write("PATCH", "/api/v1/collections/" + collection, "{\"name\":\"Shelf 2\"}");
			a.write("DELETE", "/api/v1/artifacts/" + artifact, "{}");
			a.write("DELETE", "/api/v1/collections/" + collection, "{}");
			List<ServerSentEvent<String>> received = events.next(9);
			assertThat(received).extracting(ServerSentEvent::event)
				.containsExactly("artifact.created", "collection.created", "artifact.updated",
						"artifact.version-added", "membership.added", "collection.updated", "artifact.deleted",
						"membership.removed", "collection.deleted");
			assertThat(data(received.get(2)).get("tags").get(0).asString()).isEqualTo("x");
			assertThat(data(received.get(4)).get("artifactCount").asLong()).isEqualTo(1);
			assertThat(data(received.get(4)).get("artifactIds").get(0).asString()).isEqualTo(artifact);
			assertThat(data(received.get(5)).get("name").asString()).isEqualTo("Shelf 2");
			assertThat(data(received.get(6)).get("id").asString()).isEqualTo(artifact);
			assertThat(data(received.get(7)).get("artifactCount").asLong()).isZero();
			assertThat(received).extracting(ServerSentEvent::id).doesNotHaveDuplicates();
			events.nothingWithin(Duration.ofMillis(500));
		}
	}

	@Test
	void aSubscriberBackAfter300WritesGetsExactlyThoseWithLastEventId() throws Exception {
		String last;
		try (Events events = b.follow("", null)) {
			a.createArtifact("before", "skill");
			last = events.next().id();
		}
		await().atMost(TIMEOUT).until(() -> b.subscribers() == 0);
		for (int i = 0; i < 300; i++) {
			a.createArtifact("w-%03d".formatted(i), "hook");
		}
		try (Events resumed = b.follow("", last)) {
			List<ServerSentEvent<String>> received = resumed.next(300);
			assertThat(received).extracting((event) -> data(event).get("name").asString())
				.containsExactlyElementsOf(java.util.stream.IntStream.range(0, 300).mapToObj("w-%03d"::formatted).toList());
			assertThat(received).extracting(ServerSentEvent::event).containsOnly("artifact.created");
			// nothing repeated, nothing more: the next event is the next write
			a.createArtifact("after", "skill");
			assertThat(data(resumed.next()).get("name").asString()).isEqualTo("after");
			resumed.nothingWithin(Duration.ofMillis(300));
		}
	}

	/**
	 * The classic outbox gap: "first" is numbered (transaction id, change number) before
	 * "second" but commits after it. Delivery follows commits: "second" is sent as soon as it
	 * commits, not held back behind the running "first", and "first" is not skipped when it
	 * commits later.
	 */
	@Test
	void twoTransactionsCommittingInTheReverseOrderOfTheirNumbersAreBothSentInCommitOrder() throws Exception {
		try (Events events = b.follow("", null); Connection first = jdbc(); Connection second = jdbc()) {
			first.setAutoCommit(false);
			second.setAutoCommit(false);
			long firstXid = insertArtifact(first, "first");
			long secondXid = insertArtifact(second, "second");
			assertThat(firstXid).isLessThan(secondXid);
			second.commit();
			ServerSentEvent<String> sentFirst = events.next();
			assertThat(data(sentFirst).get("name").asString()).isEqualTo("second");
			events.nothingWithin(Duration.ofMillis(300));
			first.commit();
			ServerSentEvent<String> sentLast = events.next();
			assertThat(data(sentLast).get("name").asString()).isEqualTo("first");
			assertThat(Position.decode(sentLast.id())).isGreaterThan(Position.decode(sentFirst.id()));
			// the log itself numbered them the other way round
			assertThat(database().sql("SELECT c.seq FROM catalog_changes c ORDER BY c.txid")
				.map((row) -> row.get("seq", Long.class))
				.all()
				.collectList()
				.block(TIMEOUT)).isSorted().hasSize(2);
			events.nothingWithin(Duration.ofMillis(300));
		}
	}

	/**
	 * The write-write case that transaction numbers got wrong: "early" takes its number first
	 * (it writes another artifact), then waits for the row "late" holds; "late" commits first, so
	 * "early"'s write is the artifact's final state and must be delivered last.
	 */
	@Test
	void aTransactionNumberedFirstThatWaitedForALaterOneIsSentAfterIt() throws Exception {
		String contended = a.createArtifact("contended", "skill");
		String other = a.createArtifact("other", "skill");
		try (Events events = b.follow("?event=artifact.updated", null); Connection early = jdbc();
				Connection late = jdbc(); Connection observer = jdbc()) {
			early.setAutoCommit(false);
			late.setAutoCommit(false);
			long earlyXid = describe(early, other, "numbered first");
			long lateXid = describe(late, contended, "late");
			assertThat(earlyXid).isLessThan(lateXid);
			var waiting = java.util.concurrent.CompletableFuture.runAsync(() -> {
				try {
					describe(early, contended, "early");
					early.commit();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			awaitLockWait(observer);
			late.commit();
			waiting.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			assertThat(events.next(3)).extracting((event) -> data(event).get("description").asString())
				.containsExactly("late", "numbered first", "early");
			events.nothingWithin(Duration.ofMillis(300));
		}
	}

	/**
	 * The same through the API: deleting an artifact locks its collections (taking a transaction
	 * number), and here waits for one that another transaction holds; meanwhile a PATCH of the
	 * artifact commits. The artifact ends deleted, and the deletion comes last.
	 */
	@Test
	void anArtifactDeletedAfterAConcurrentPatchCommittedIsSentDeletedLast() throws Exception {
		String id = a.createArtifact("doomed", "skill");
		List<String> collections = new ArrayList<>();
		for (String name : List.of("One", "Two")) {
			String collection = a.write("POST", "/api/v1/collections", "{\"name\":\"" + name + "\"}").get("id").asString();
			a.write("POST", "/api/v1/collections/" + collection + "/memberships", "{\"add\":[\"" + id + "\"]}");
			collections.add(collection);
		}
		String lastLocked = collections.stream().max(java.util.Comparator.comparing(UUID::fromString)).orElseThrow();
		try (Events events = b.follow("?event=artifact.updated,artifact.deleted", null); Connection holder = jdbc();
				Connection observer = jdbc()) {
			holder.setAutoCommit(false);
			try (Statement statement = holder.createStatement()) {
				statement.executeQuery("SELECT id FROM collections WHERE id = '" + lastLocked + "' FOR NO KEY UPDATE")
					.close();
			}
			var deleting = java.util.concurrent.CompletableFuture.runAsync(() -> a.http()
				.delete()
				.uri("/api/v1/artifacts/" + id)
				.header(HttpHeaders.AUTHORIZATION, "Bearer " + TOKEN)
				.retrieve()
				.toBodilessEntity()
				.block(TIMEOUT));
			awaitLockWait(observer);
			a.write("PATCH", "/api/v1/artifacts/" + id, "{\"description\":\"patched meanwhile\"}");
			holder.rollback();
			deleting.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			List<ServerSentEvent<String>> received = events.next(2);
			assertThat(received).extracting(ServerSentEvent::event).containsExactly("artifact.updated", "artifact.deleted");
			events.nothingWithin(Duration.ofMillis(300));
		}
	}

	/** Sets an artifact's description in the connection's open transaction; returns its number. */
	private static long describe(Connection connection, String id, String description) throws Exception {
		try (PreparedStatement update = connection
			.prepareStatement("UPDATE artifacts SET description = ? WHERE id = CAST(? AS uuid)")) {
			update.setString(1, description);
			update.setString(2, id);
			update.executeUpdate();
		}
		return transactionNumber(connection);
	}

	private static void awaitLockWait(Connection observer) {
		await().atMost(TIMEOUT).until(() -> {
			try (Statement statement = observer.createStatement();
					var result = statement.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")) {
				result.next();
				return result.getInt(1) > 0;
			}
		});
	}

	/** A PATCH that waited for another write to its artifact commits after it and comes after it. */
	@Test
	void aWriteThatWaitedForAnotherOnTheSameArtifactComesAfterIt() throws Exception {
		String id = a.createArtifact("contended", "skill");
		try (Events events = b.follow("?event=artifact.updated", null); Connection holder = jdbc();
				Connection observer = jdbc()) {
			holder.setAutoCommit(false);
			try (Statement statement = holder.createStatement()) {
				statement.executeUpdate("UPDATE artifacts SET description = 'held' WHERE id = '" + id + "'");
			}
			var waiting = java.util.concurrent.CompletableFuture
				.supplyAsync(() -> a.write("PATCH", "/api/v1/artifacts/" + id, "{\"description\":\"waited\"}"));
			awaitLockWait(observer);
			holder.commit();
			waiting.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			assertThat(events.next(2)).extracting((event) -> data(event).get("description").asString())
				.containsExactly("held", "waited");
		}
	}

	/** Inserts an artifact in the connection's open transaction; returns the transaction's number. */
	private static long insertArtifact(Connection connection, String name) throws Exception {
		try (PreparedStatement insert = connection.prepareStatement("""
				INSERT INTO artifacts (id, name, type, created_at, updated_at)
				VALUES (gen_random_uuid(), ?, 'skill', now(), now())""")) {
			insert.setString(1, name);
			insert.executeUpdate();
		}
		return transactionNumber(connection);
	}

	/** The number of the connection's open transaction. */
	private static long transactionNumber(Connection connection) throws Exception {
		try (Statement statement = connection.createStatement();
				var result = statement.executeQuery("SELECT pg_current_xact_id()::text")) {
			result.next();
			return Long.parseLong(result.getString(1));
		}
	}

	@Test
	void aChangeRolledBackIsNeverSent() throws Exception {
		try (Events events = b.follow("", null); Connection connection = jdbc()) {
			connection.setAutoCommit(false);
			insertArtifact(connection, "rolled back");
			connection.rollback();
			a.createArtifact("committed", "skill");
			assertThat(data(events.next()).get("name").asString()).isEqualTo("committed");
			events.nothingWithin(Duration.ofMillis(500));
		}
	}

	/**
	 * Clients that leave while their stream is being opened (the subscription is made, "now"
	 * asked of PostgreSQL, the response not yet written) leave no subscription behind.
	 */
	@Test
	void clientsThatLeaveWhileTheirStreamOpensLeaveNoSubscription() throws Exception {
		for (int i = 0; i < 200; i++) {
			try (Socket leaving = new Socket("localhost", b.port())) {
				leaving.getOutputStream()
					.write(("GET /api/v1/changes" + ((i % 2 == 0) ? "" : "?after=" + Position.ORIGIN.encode())
							+ " HTTP/1.1\r\nHost: localhost\r\nAccept: "
							+ ((i % 3 == 0) ? "application/x-ndjson" : "text/event-stream") + "\r\n\r\n")
						.getBytes(StandardCharsets.US_ASCII));
				leaving.setSoLinger(true, 0);
				if (i % 4 == 0) {
					leaving.getInputStream().read();
				}
			}
		}
		await().atMost(TIMEOUT).until(() -> b.subscribers() == 0);
		// and the instance still serves streams
		try (Events events = b.follow("", null)) {
			a.createArtifact("still served", "skill");
			assertThat(data(events.next()).get("name").asString()).isEqualTo("still served");
		}
	}

	@Test
	void aSubscriberThatStopsReadingIsCutOffWhileAReadingOneGetsEverything() throws Exception {
		double cutOff = b.meter("catalog.changes.lag.disconnects");
		try (Events reading = b.follow("", null); Socket paused = new Socket()) {
			paused.setReceiveBufferSize(1024);
			paused.connect(new InetSocketAddress("localhost", b.port()));
			OutputStream request = paused.getOutputStream();
			request.write("GET /api/v1/changes HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n"
				.getBytes(StandardCharsets.US_ASCII));
			request.flush();
			await().atMost(TIMEOUT).until(() -> b.subscribers() == 2);
			// 2,000 changes of about 2 KB each, in 80 transactions: far more than the sockets and
			// the paused subscriber's buffer (100 changes) hold
			try (Connection connection = jdbc(); Statement statement = connection.createStatement()) {
				for (int i = 0; i < 80; i++) {
					statement.executeUpdate("""
							INSERT INTO artifacts (id, name, type, description, created_at, updated_at)
							SELECT gen_random_uuid(), 'bulk-' || (%d * 25 + n), 'skill', repeat('d', 2000), now(), now()
							  FROM generate_series(0, 24) AS n""".formatted(i));
					Thread.sleep(20);
				}
			}
			List<ServerSentEvent<String>> received = reading.next(2000);
			assertThat(received).extracting(ServerSentEvent::id).doesNotHaveDuplicates();
			await().atMost(TIMEOUT).until(() -> b.meter("catalog.changes.lag.disconnects") > cutOff);
			await().atMost(TIMEOUT).until(() -> b.subscribers() == 1);
			assertThat(reading.ended).isFalse();
			// cut off, the paused client cannot even take the end of its response: once a write
			// has waited the write timeout, B closes the connection. Read only then (reading
			// earlier would let the write through): what the sockets held, then the end of the
			// connection, not a wait for more
			Thread.sleep(WRITE_TIMEOUT.multipliedBy(3).toMillis());
			paused.setSoTimeout((int) TIMEOUT.toMillis());
			InputStream unread = paused.getInputStream();
			byte[] chunk = new byte[65536];
			long taken = 0;
			try {
				for (int read; (read = unread.read(chunk)) != -1;) {
					taken += read;
				}
			}
			catch (java.net.SocketException reset) {
				// closed with data unread on B's side: a reset is an end too
			}
			assertThat(taken).as("bytes the sockets held before the connection ended").isPositive();
		}
	}

	@Test
	void aPositionOlderThanTheRetentionGetsResetAndNdjsonGets410() throws Exception {
		String old;
		try (Events events = b.follow("", null)) {
			a.createArtifact("old", "skill");
			old = events.next().id();
			a.createArtifact("pruned too", "skill");
			events.next();
		}
		database().sql("UPDATE catalog_changes SET recorded_at = recorded_at - interval '2 days'").then().block(TIMEOUT);
		b.context().getBean(ChangeRetention.class).prune().block(TIMEOUT);
		assertThat(database().sql("SELECT count(*) AS n FROM catalog_changes").map((row) -> row.get("n", Long.class))
			.one()
			.block(TIMEOUT)).isZero();
		try (Events events = b.follow("", old)) {
			ServerSentEvent<String> reset = events.next();
			assertThat(reset.event()).isEqualTo("reset");
			await().atMost(TIMEOUT).until(() -> events.ended);
		}
		var answer = b.http()
			.get()
			.uri("/api/v1/changes?after=" + old)
			.accept(MediaType.APPLICATION_NDJSON)
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.map((body) -> Map.entry(response.statusCode().value(),
						response.headers().contentType().map(Object::toString).orElse("") + " " + body)))
			.block(TIMEOUT);
		assertThat(answer.getKey()).isEqualTo(410);
		assertThat(answer.getValue()).startsWith("application/problem+json").contains("retention");
		// a position the log still covers is served as usual
		a.createArtifact("fresh", "skill");
		try (Events events = b.follow("", null)) {
			a.createArtifact("fresher", "skill");
			// a new stream starts at its instance's head, which may not have passed "fresh" yet
			ServerSentEvent<String> event = events.next();
			while (!data(event).get("name").asString().equals("fresher")) {
				event = events.next();
			}
			String fresher = event.id();
			a.createArtifact("freshest", "skill");
			try (Events resumed = b.follow("", fresher)) {
				assertThat(data(resumed.next()).get("name").asString()).isEqualTo("freshest");
			}
		}
	}

	@Test
	void aPositionFromBeforeCommitsWereNumberedGetsResetAndNdjsonGets410() throws Exception {
		a.createArtifact("kept", "skill");
		try (Events events = b.follow("", "123456-7")) {
			assertThat(events.next().event()).isEqualTo("reset");
			await().atMost(TIMEOUT).until(() -> events.ended);
		}
		var answer = b.http()
			.get()
			.uri("/api/v1/changes?after=123456-7")
			.accept(MediaType.APPLICATION_NDJSON)
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.map((body) -> Map.entry(response.statusCode().value(), body)))
			.block(TIMEOUT);
		assertThat(answer.getKey()).isEqualTo(410);
		assertThat(answer.getValue()).contains("before feed positions were numbered by commit");
		await().atMost(TIMEOUT).until(() -> b.subscribers() == 0);
	}

	@Test
	void filtersByCollectionArtifactTypeAndEventType() throws Exception {
		String collection = a.write("POST", "/api/v1/collections", "{\"name\":\"Filtered\"}").get("id").asString();
		String inside = a.createArtifact("inside", "skill");
		String outside = a.createArtifact("outside", "command");
		a.write("PUT", "/api/v1/collections/" + collection + "/artifacts/" + inside, "{}");
		try (Events byCollection = b.follow("?collection=" + collection, null);
				Events byType = b.follow("?type=command", null);
				Events byEvent = b.follow("?event=membership.removed,collection.updated", null)) {
			a.write("PATCH", "/api/v1/artifacts/" + inside, "{\"description\":\"in it\"}");
			a.write("PATCH", "/api/v1/artifacts/" + outside, "{\"description\":\"not in it\"}");
			a.write("DELETE", "/api/v1/collections/" + collection + "/artifacts/" + inside, "{}");
			a.write("PATCH", "/api/v1/artifacts/" + inside, "{\"description\":\"no longer in it\"}");
			a.write("PATCH", "/api/v1/collections/" + collection, "{\"name\":\"Filtered 2\"}");
			assertThat(byCollection.next(3)).extracting((event) -> event.event() + " " + data(event).path("id").asString(""))
				.containsExactly("artifact.updated " + inside, "membership.removed ", "collection.updated " + collection);
			assertThat(byType.next(3)).extracting((event) -> event.event() + " " + data(event).path("id").asString(""))
				.containsExactly("artifact.updated " + outside, "membership.removed ", "collection.updated " + collection);
			assertThat(byEvent.next(2)).extracting(ServerSentEvent::event)
				.containsExactly("membership.removed", "collection.updated");
			byCollection.nothingWithin(Duration.ofMillis(300));
			byType.nothingWithin(Duration.ofMillis(100));
			byEvent.nothingWithin(Duration.ofMillis(100));
		}
		var refused = b.http()
			.get()
			.uri("/api/v1/changes?type=nonsense")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
			.block(TIMEOUT);
		assertThat(refused).isEqualTo(400);
	}

	/**
	 * B's listener is stopped, so B's feed has not read the change committed just before the
	 * stream opens (as when its notification is still on its way): the stream must still start
	 * after it, at the moment it opened, not at where B had read to.
	 */
	@Test
	void aStreamWithoutAPositionStartsWhenItOpensNotWhereItsInstanceHadReadTo() throws Exception {
		ChangeListener listener = b.context().getBean(ChangeListener.class);
		listener.stop();
		try {
			a.createArtifact("before the stream", "skill");
			try (Events events = b.follow("", null)) {
				a.createArtifact("after it opened", "skill");
				listener.start();
				assertThat(data(events.next()).get("name").asString()).isEqualTo("after it opened");
				events.nothingWithin(Duration.ofMillis(300));
			}
		}
		finally {
			if (!listener.isRunning()) {
				listener.start();
			}
		}
	}

	@Test
	void aThousandSubscribersOnOneInstanceCostOneFeedReadPerBatch() throws Exception {
		AtomicInteger received = new AtomicInteger();
		List<Disposable> streams = new ArrayList<>();
		try {
			AtomicInteger open = new AtomicInteger();
			for (int i = 0; i < 1000; i++) {
				AtomicBoolean opened = new AtomicBoolean();
				streams.add(b.http()
					.get()
					.uri("/api/v1/changes")
					.accept(MediaType.TEXT_EVENT_STREAM)
					.retrieve()
					.bodyToFlux(SSE)
					.subscribe((event) -> {
						if (event.event() == null && opened.compareAndSet(false, true)) {
							open.incrementAndGet();
						}
						else if ("artifact.created".equals(event.event())) {
							received.incrementAndGet();
						}
					}));
			}
			// open: each has its first heartbeat, so no stream is still asking where it starts
			await().atMost(Duration.ofSeconds(60)).until(() -> open.get() == 1000);
			assertThat(b.subscribers()).isEqualTo(1000);
			double requestStatements = b.meter("catalog.db.statements");
			double before = b.meter("catalog.changes.statements");
			a.createArtifact("to a thousand", "mcp");
			await().atMost(TIMEOUT).until(() -> received.get() == 1000);
			double statements = b.meter("catalog.changes.statements") - before;
			// one read for the batch, and at most one more if the 2 s poll fell in between
			assertThat(statements).isBetween(1.0, 2.0);
			assertThat(b.meter("catalog.db.statements")).isEqualTo(requestStatements);
		}
		finally {
			streams.forEach(Disposable::dispose);
		}
	}

	@Test
	void anInstanceServingItsMaximumOfSubscribersAnswers503WithRetryAfter() throws Exception {
		try (Events one = a.follow("", null); Events two = a.follow("", null); Events three = a.follow("", null)) {
			var answer = a.http()
				.get()
				.uri("/api/v1/changes")
				.accept(MediaType.TEXT_EVENT_STREAM)
				.exchangeToMono((response) -> response.releaseBody()
					.thenReturn(response.statusCode().value() + " "
							+ response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER)))
				.block(TIMEOUT);
			assertThat(answer).isEqualTo("503 5");
		}
	}

	/**
	 * The stream is written after WebFlux is done with its request (so that an open stream
	 * holds nothing of the filter chain): WebFlux's observation of the request has ended while
	 * the stream is open and still delivers.
	 */
	@Test
	void aStreamIsWrittenAfterWebFluxIsDoneWithItsRequest() throws Exception {
		double before = serverRequests(b);
		try (Events events = b.follow("", null)) {
			await().atMost(TIMEOUT).until(() -> serverRequests(b) >= before + 1);
			a.createArtifact("handed off", "skill");
			assertThat(data(events.next()).get("name").asString()).isEqualTo("handed off");
		}
	}

	private static double serverRequests(Instance instance) {
		return instance.context()
			.getBean(MeterRegistry.class)
			.find("http.server.requests")
			.timers()
			.stream()
			.mapToLong((timer) -> timer.count())
			.sum();
	}

	@Test
	void idleStreamsGetHeartbeats() throws Exception {
		try (Events events = a.follow("", null)) {
			// the first comes as the stream opens, the others every 300 ms
			await().atMost(Duration.ofSeconds(5)).until(() -> events.heartbeats.get() >= 3);
			assertThat(events.received).isEmpty();
		}
	}

	@Test
	void ndjsonLinesCarryPositionTypeAndData() throws Exception {
		String last;
		try (Events events = b.follow("", null)) {
			a.createArtifact("line one", "skill");
			last = events.next().id();
		}
		a.createArtifact("line two", "agent");
		List<String> lines = b.http()
			.get()
			.uri("/api/v1/changes?after=" + last)
			.accept(MediaType.APPLICATION_NDJSON)
			.retrieve()
			.bodyToFlux(String.class)
			.filter((line) -> !line.contains("heartbeat"))
			.take(1)
			.collectList()
			.block(TIMEOUT);
		JsonNode line = json.readTree(lines.get(0));
		assertThat(line.get("type").asString()).isEqualTo("artifact.created");
		assertThat(line.get("id").asString()).isNotBlank().isNotEqualTo(last);
		assertThat(line.get("data").get("name").asString()).isEqualTo("line two");
	}

	@Test
	void theEndEventOfAListStreamGivesThePositionToFollowTheListFrom() throws Exception {
		a.createArtifact("listed", "skill");
		List<ServerSentEvent<String>> list = b.http()
			.get()
			.uri("/api/v1/artifacts")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.retrieve()
			.bodyToFlux(SSE)
			.collectList()
			.block(TIMEOUT);
		ServerSentEvent<String> end = list.get(list.size() - 1);
		assertThat(end.event()).isEqualTo("end");
		String position = data(end).get("feedPosition").asString();
		a.createArtifact("after the list", "skill");
		try (Events events = b.follow("", position)) {
			List<String> names = new ArrayList<>();
			while (!names.contains("after the list")) {
				names.add(data(events.next()).get("name").asString());
			}
			// "listed" may come again (the list already showed it): harmless, and nothing else
			assertThat(names).isSubsetOf("listed", "after the list");
		}
		String header = b.http()
			.get()
			.uri("/api/v1/artifacts")
			.accept(MediaType.APPLICATION_NDJSON)
			.exchangeToMono((response) -> response.releaseBody()
				.thenReturn(String.valueOf(response.headers().asHttpHeaders().getFirst("Catalog-Feed-Position"))))
			.block(TIMEOUT);
		assertThat(header).matches("\\d+\\.\\d+");
	}

	/** Artifacts written without recording changes (as the seeder does): a list, not a feed. */
	private static void seedSkills(int count) {
		database().sql("""
				SET LOCAL catalog.changes = 'off';
				INSERT INTO artifacts (id, name, type, created_at, updated_at)
				SELECT gen_random_uuid(), 'seeded-' || n, 'skill', now() - n * interval '1 second', now()
				  FROM generate_series(1, %d) AS n""".formatted(count)).then().block(TIMEOUT);
	}

	/**
	 * One request: the list (read slowly, 2 ms an event, so that a write lands while it is
	 * sent), its end, then the feed filtered by the list's type: the write made during the
	 * snapshot and the one made after it both come; the other type's does not. Resuming with
	 * the end event's id gets the feed alone.
	 */
	@Test
	void aFollowingListSendsItsSnapshotThenTheChangesMadeDuringAndAfterIt() throws Exception {
		seedSkills(1200);
		String end;
		String midway;
		List<String> secondHalf;
		try (Events list = new Events(b.http()
			.get()
			.uri("/api/v1/artifacts?type=skill&follow=true")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.retrieve()
			.bodyToFlux(SSE)
			.delayElements(Duration.ofMillis(2)))) {
			ServerSentEvent<String> first = list.next();
			assertThat(first.event()).isEqualTo("artifact");
			a.createArtifact("during the snapshot", "skill");
			a.createArtifact("another type", "command");
			List<ServerSentEvent<String>> snapshot = new ArrayList<>(List.of(first));
			ServerSentEvent<String> event;
			while (!"end".equals((event = list.next()).event())) {
				snapshot.add(event);
			}
			end = data(event).get("feedPosition").asString();
			assertThat(event.id()).isEqualTo(end);
			assertThat(snapshot).hasSizeGreaterThanOrEqualTo(1200)
				.allSatisfy((artifact) -> assertThat(artifact.id()).endsWith("~" + end));
			midway = snapshot.get(599).id();
			secondHalf = snapshot.subList(600, snapshot.size())
				.stream()
				.map((artifact) -> data(artifact).get("id").asString())
				.toList();
			a.createArtifact("after the snapshot", "skill");
			List<String> followed = new ArrayList<>();
			while (!followed.contains("after the snapshot")) {
				ServerSentEvent<String> change = list.next();
				assertThat(change.event()).isEqualTo("artifact.created");
				followed.add(data(change).get("name").asString());
			}
			assertThat(followed).containsExactly("during the snapshot", "after the snapshot");
		}
		try (Events resumed = b.follow("", end)) {
			assertThat(resumed.next(2)).extracting((change) -> data(change).get("name").asString())
				.containsExactly("during the snapshot", "another type");
		}
		List<ServerSentEvent<String>> fromEnd = b.http()
			.get()
			.uri("/api/v1/artifacts?type=skill&follow=true")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.header("Last-Event-ID", end)
			.retrieve()
			.bodyToFlux(SSE)
			.filter((event) -> event.event() != null)
			.take(2)
			.collectList()
			.block(TIMEOUT);
		assertThat(fromEnd).extracting((change) -> data(change).get("name").asString())
			.as("the feed alone, by the list's type").containsExactly("during the snapshot", "after the snapshot");
		// broken off within the snapshot: the rest of the list, its end with the original
		// position, then the feed from there
		List<ServerSentEvent<String>> fromMidway = b.http()
			.get()
			.uri("/api/v1/artifacts?type=skill&follow=true")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.header("Last-Event-ID", midway)
			.retrieve()
			.bodyToFlux(SSE)
			.filter((event) -> event.event() != null)
			.take(secondHalf.size() + 3L)
			.collectList()
			.block(TIMEOUT);
		List<ServerSentEvent<String>> rest = fromMidway.subList(0, secondHalf.size());
		assertThat(rest).allSatisfy((artifact) -> assertThat(artifact.event()).isEqualTo("artifact"));
		assertThat(rest).extracting((artifact) -> data(artifact).get("id").asString())
			.containsExactlyElementsOf(secondHalf);
		ServerSentEvent<String> restEnd = fromMidway.get(secondHalf.size());
		assertThat(restEnd.event()).isEqualTo("end");
		assertThat(restEnd.id()).isEqualTo(end);
		assertThat(fromMidway.subList(secondHalf.size() + 1, fromMidway.size()))
			.extracting((change) -> data(change).get("name").asString())
			.containsExactly("during the snapshot", "after the snapshot");
	}

	@Test
	void aFollowingNdjsonListEndsItsLinesWithThePositionThenGoesOnWithTheFeed() throws Exception {
		seedSkills(1200);
		BlockingQueue<String> lines = new LinkedBlockingQueue<>();
		Disposable list = b.http()
			.get()
			.uri("/api/v1/artifacts?follow=true")
			.accept(MediaType.APPLICATION_NDJSON)
			.retrieve()
			.bodyToFlux(String.class)
			.delayElements(Duration.ofMillis(2))
			.subscribe(lines::add);
		try {
			String first = lines.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			assertThat(json.readTree(first).get("name").asString()).startsWith("seeded-");
			a.createArtifact("during the snapshot", "agent");
			int artifacts = 1;
			JsonNode line;
			while (!(line = json.readTree(lines.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS))).path("type")
				.asString()
				.equals("end")) {
				artifacts++;
			}
			assertThat(artifacts).isGreaterThanOrEqualTo(1200);
			assertThat(line.get("feedPosition").asString()).matches("\\d+\\.\\d+");
			a.createArtifact("after the snapshot", "mcp");
			List<String> followed = new ArrayList<>();
			while (!followed.contains("after the snapshot")) {
				JsonNode change = json.readTree(lines.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS));
				if (!change.path("type").asString().equals("heartbeat")) {
					assertThat(change.get("type").asString()).isEqualTo("artifact.created");
					followed.add(change.get("data").get("name").asString());
				}
			}
			assertThat(followed).containsExactly("during the snapshot", "after the snapshot");
		}
		finally {
			list.dispose();
		}
		var refused = b.http()
			.get()
			.uri("/api/v1/artifacts?follow=yes")
			.accept(MediaType.APPLICATION_NDJSON)
			.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
			.block(TIMEOUT);
		assertThat(refused).isEqualTo(400);
	}

	@Test
	void aFollowingListCountsAgainstTheInstancesMaximumOfSubscribers() throws Exception {
		try (Events one = a.follow("", null); Events two = a.follow("", null); Events three = a.follow("", null)) {
			var answer = a.http()
				.get()
				.uri("/api/v1/artifacts?follow=true")
				.accept(MediaType.TEXT_EVENT_STREAM)
				.exchangeToMono((response) -> response.bodyToMono(String.class)
					.defaultIfEmpty("")
					.map((body) -> response.statusCode().value() + " "
							+ response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER) + " "
							+ response.headers().asHttpHeaders().getContentType()))
				.block(TIMEOUT);
			assertThat(answer).isEqualTo("503 5 application/problem+json");
			var plain = a.http()
				.get()
				.uri("/api/v1/artifacts")
				.accept(MediaType.TEXT_EVENT_STREAM)
				.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()))
				.block(TIMEOUT);
			assertThat(plain).as("a list that does not follow").isEqualTo(200);
		}
	}

	@Test
	void aBatchOf500MembershipsIsOneEventWithTheNewCount() throws Exception {
		String collection = a.write("POST", "/api/v1/collections", "{\"name\":\"Batch\"}").get("id").asString();
		List<String> ids = database().sql("""
				INSERT INTO artifacts (id, name, type, created_at, updated_at)
				SELECT gen_random_uuid(), 'member-' || n, 'skill', now(), now() FROM generate_series(1, 500) AS n
				RETURNING id""").map((row) -> row.get("id", UUID.class).toString()).all().collectList().block(TIMEOUT);
		try (Events events = b.follow("?event=membership.added", null)) {
			a.write("POST", "/api/v1/collections/" + collection + "/memberships",
					"{\"add\":[\"" + String.join("\",\"", ids) + "\"]}");
			JsonNode batch = data(events.next());
			assertThat(batch.get("collectionId").asString()).isEqualTo(collection);
			assertThat(batch.get("artifactCount").asLong()).isEqualTo(500);
			assertThat(batch.get("artifactIds").size()).isEqualTo(500);
			events.nothingWithin(Duration.ofMillis(300));
		}
	}

}
