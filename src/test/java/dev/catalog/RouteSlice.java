package dev.catalog;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.catalog.db.Writes;
import dev.catalog.web.CursorCodec;
import dev.catalog.web.JsonBodies;
import dev.catalog.web.ProblemResponses;
import dev.catalog.web.TestHandlerStrategies;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryMetadata;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One feature's route table on its own, answered with the service's own error handler, and no
 * Spring context, PostgreSQL or Redis behind it: for what a route answers before it reads or
 * writes anything (parameters, ids, cursors, {@code Accept}, {@code Content-Type}, bodies).
 * <p>
 * Handlers get real collaborators where those are cheap (cursors signed with a test secret,
 * {@link JsonBodies}). What needs a server is built around {@link #database()}, whose
 * connection factory refuses every connection and counts the attempts, so that a test can
 * assert that nothing reached PostgreSQL ({@link #connectionsAsked()}); writes are told the
 * catalog changed through a {@code CatalogChanges} that fails. The response cache cannot be
 * built outside its package and needs Redis: tables get {@code null} for it, so a route that
 * reached it would answer 500 instead of what its test expects.
 */
public final class RouteSlice {

	/** The secret of {@link #cursors()}: any cursor signed with it is one the slice issued. */
	public static final String CURSOR_SECRET = "route-slice-tests";

	public static final JsonMapper JSON = JsonMapper.builder().build();

	private final RefusingConnectionFactory connections = new RefusingConnectionFactory();

	private final DatabaseClient database = DatabaseClient.create(this.connections);

	/** A database client whose every connection attempt fails, and is counted. */
	public DatabaseClient database() {
		return this.database;
	}

	/** How many connections were asked of {@link #database()} (or of {@link #writes()}). */
	public int connectionsAsked() {
		return this.connections.asked.get();
	}

	public CursorCodec cursors() {
		return new CursorCodec(CURSOR_SECRET);
	}

	public JsonBodies bodies() {
		return new JsonBodies(JSON);
	}

	/** Writes whose transactions need a connection of {@link #database()}. */
	public Writes writes() {
		return new Writes(TransactionalOperator.create(new R2dbcTransactionManager(this.connections)),
				() -> Mono.error(new AssertionError("A route slice wrote to the catalog")), new SimpleMeterRegistry(),
				Clock.systemUTC());
	}

	/** A client of the table, errors rendered by {@link ProblemResponses}. */
	public WebTestClient client(RouterFunction<ServerResponse> routes) {
		return WebTestClient.bindToRouterFunction(routes)
			.handlerStrategies(TestHandlerStrategies.withProblemResponses())
			.build();
	}

	/**
	 * The problem+json body of an answer, after checking its status and the members every
	 * problem has.
	 */
	public static Map<String, Object> problem(WebTestClient.ResponseSpec response, int status) {
		Map<String, Object> problem = response.expectStatus()
			.isEqualTo(status)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult()
			.getResponseBody();
		assertThat(problem).containsEntry("status", status).containsKeys("type", "title", "detail", "instance");
		assertThat((String) problem.get("type")).startsWith("https://");
		return problem;
	}

	/** Checks a 422 problem that names {@code field} among its errors. */
	public static void invalid(WebTestClient.ResponseSpec response, String field) {
		response.expectStatus()
			.isEqualTo(422)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(422)
			.jsonPath("$.errors[?(@.field == '" + field + "')]").exists();
	}

	private static final class RefusingConnectionFactory implements ConnectionFactory {

		private final AtomicInteger asked = new AtomicInteger();

		@Override
		public Publisher<? extends Connection> create() {
			return Mono.defer(() -> {
				this.asked.incrementAndGet();
				return Mono.error(new IllegalStateException("A route slice has no database"));
			});
		}

		/** Named as the real one is, so that statements are prepared as they are for it. */
		@Override
		public ConnectionFactoryMetadata getMetadata() {
			return () -> "PostgreSQL";
		}

	}

}
