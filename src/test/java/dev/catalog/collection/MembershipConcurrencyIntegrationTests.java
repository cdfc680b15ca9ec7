package dev.catalog.collection;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import dev.catalog.TestCatalog;
import dev.catalog.WriteIntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hundreds of membership changes at once against one hot collection (single adds and removes,
 * batches), with artifact deletions and a collection deletion cascading through the same
 * rows, then every collection's {@code artifact_count} is compared with its real number of
 * members.
 */
@WriteIntegrationTest
class MembershipConcurrencyIntegrationTests {

	private static final String DRIFT = """
			SELECT count(*) FROM collections c
			 WHERE c.artifact_count <> (SELECT count(*) FROM collection_artifacts ca WHERE ca.collection_id = c.id)
			""";

	@Autowired
	TestCatalog catalog;

	@Autowired
	MeterRegistry meters;

	@Value("${local.server.port}")
	int port;

	WebClient client;

	@BeforeEach
	void seed() {
		this.catalog.reset();
		this.catalog.seed(400, 6);
		this.client = WebClient.builder()
			.baseUrl("http://localhost:" + this.port)
			.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + WriteIntegrationTest.TOKEN)
			.build();
	}

	@Test
	void countsStayExactUnderConcurrentAddsRemovesBatchesAndDeletions() {
		List<String> collections = strings("SELECT id::text FROM collections ORDER BY name = 'Hot picks' DESC, id");
		String hot = collections.get(0);
		String other = collections.get(1);
		String doomedCollection = collections.get(2);
		List<String> artifacts = strings("SELECT id::text FROM artifacts ORDER BY id");
		List<String> doomedArtifacts = strings("""
				SELECT ca.artifact_id::text FROM collection_artifacts ca
				 WHERE ca.collection_id = '%s'
				   AND EXISTS (SELECT 1 FROM collection_artifacts o
				                WHERE o.artifact_id = ca.artifact_id AND o.collection_id <> ca.collection_id)
				 ORDER BY ca.artifact_id LIMIT 8""".formatted(hot));
		assertThat(doomedArtifacts).hasSize(8);
		Random random = new Random(42);

		List<Mono<Integer>> operations = new ArrayList<>();
		for (int i = 0; i < 110; i++) {
			operations.add(send("PUT", "/api/v1/collections/" + hot + "/artifacts/" + pick(artifacts, random), null));
		}
		for (int i = 0; i < 70; i++) {
			operations.add(send("DELETE", "/api/v1/collections/" + hot + "/artifacts/" + pick(artifacts, random), null));
		}
		for (int i = 0; i < 40; i++) {
			String target = (i % 4 == 0) ? other : hot;
			List<String> shuffled = new ArrayList<>(artifacts);
			Collections.shuffle(shuffled, random);
			operations.add(send("POST", "/api/v1/collections/" + target + "/memberships",
					"{\"add\":[" + quoted(shuffled.subList(0, 25)) + "],\"remove\":[" + quoted(shuffled.subList(25, 50))
							+ "]}"));
		}
		for (String artifact : doomedArtifacts) {
			operations.add(send("DELETE", "/api/v1/artifacts/" + artifact, null));
		}
		operations.add(send("DELETE", "/api/v1/collections/" + doomedCollection, null));
		Collections.shuffle(operations, random);
		assertThat(operations).hasSizeGreaterThanOrEqualTo(200);

		double retriesBefore = this.meters.counter("catalog.db.write.retries").count();
		List<Integer> statuses = Flux.fromIterable(operations)
			.flatMap(Function.identity(), 48)
			.collectList()
			.block(java.time.Duration.ofMinutes(5));

		Map<Integer, Long> byStatus = statuses.stream()
			.collect(Collectors.groupingBy(Function.identity(), TreeMap::new, Collectors.counting()));
		System.out.printf("Concurrent membership operations: %d, statuses %s, deadlock retries %.0f%n",
				statuses.size(), byStatus, this.meters.counter("catalog.db.write.retries").count() - retriesBefore);
		// 404 and 422 only where an operation names an artifact deleted by another one
		assertThat(byStatus.keySet()).isSubsetOf(200, 201, 204, 404, 422);
		assertThat(statuses.stream().filter((status) -> status < 300).count()).isGreaterThan(180);
		assertThat(this.catalog.count(DRIFT)).isZero();
		assertThat(this.catalog.count("SELECT count(*) FROM artifacts WHERE id::text IN ('"
				+ String.join("','", doomedArtifacts) + "')")).isZero();
		assertThat(this.catalog.count("SELECT count(*) FROM collections WHERE id = '" + doomedCollection + "'")).isZero();
		assertThat(this.catalog.count("SELECT artifact_count FROM collections WHERE id = '" + hot + "'"))
			.isEqualTo(this.catalog.count("SELECT count(*) FROM collection_artifacts WHERE collection_id = '" + hot + "'"));
	}

	private Mono<Integer> send(String method, String path, String body) {
		return Mono.defer(() -> {
			WebClient.RequestBodySpec request = this.client.method(org.springframework.http.HttpMethod.valueOf(method))
				.uri(path);
			if (body != null) {
				request.contentType(MediaType.APPLICATION_JSON).bodyValue(body);
			}
			return request.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()));
		});
	}

	private static String pick(List<String> values, Random random) {
		return values.get(random.nextInt(values.size()));
	}

	private List<String> strings(String sql) {
		return this.catalog.database().sql(sql).map((row) -> row.get(0, String.class)).all().collectList().block();
	}

	private static String quoted(List<String> ids) {
		return ids.stream().map((id) -> "\"" + id + "\"").collect(Collectors.joining(","));
	}

}
