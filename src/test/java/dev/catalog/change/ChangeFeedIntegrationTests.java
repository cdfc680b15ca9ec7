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
import java.util.concurrent.atomic.AtomicInteger;

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

		/** A stream of the feed, heartbeats left out, held until closed. */
		Events follow(String query, String lastEventId) {
			int before = subscribers();
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
			await().atMost(TIMEOUT).until(() -> subscribers() > before || events.ended);
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
				"--catalog.changes.max-subscribers=2000", "--catalog.changes.poll-interval=2s");
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
		database().sql("TRUNCATE artifacts, artifact_tags, artifact_versions, collections, collection_artifacts, catalog_changes")
			.then()
			.block(TIMEOUT);
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

}
