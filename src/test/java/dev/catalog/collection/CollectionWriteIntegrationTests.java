package dev.catalog.collection;

import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.catalog.TestCatalog;
import dev.catalog.TestClients;
import dev.catalog.WriteIntegrationTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

@WriteIntegrationTest
class CollectionWriteIntegrationTests {

	private static final Pattern STATEMENTS = Pattern.compile("desc=\"(\\d+) statements?\"");

	@Autowired
	WebTestClient anonymous;

	@Autowired
	TestCatalog catalog;

	@Autowired
	JsonMapper json;

	@Autowired
	MeterRegistry meters;

	WebTestClient client;

	@BeforeEach
	void reset() {
		this.catalog.reset();
		this.client = TestClients.writer(this.anonymous);
	}

	@Test
	void collectionsAreCreatedRenamedAndDeletedWithUniqueNames() {
		JsonNode first = createCollection("Tools", "my tools");
		String id = first.get("id").stringValue();
		assertThat(first.get("artifactCount").asLong()).isZero();
		JsonNode second = createCollection("Other", "");
		this.client.post()
			.uri("/api/v1/collections")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\":\"tOOLS\"}")
			.exchange()
			.expectStatus()
			.isEqualTo(409);

		JsonNode renamed = json(this.client.patch()
			.uri("/api/v1/collections/{id}", id)
			.contentType(MediaType.parseMediaType("application/merge-patch+json"))
			.bodyValue("{\"name\":\"Tools & more\",\"description\":null}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
		assertThat(renamed.get("name").stringValue()).isEqualTo("Tools & more");
		assertThat(renamed.get("description").stringValue()).isEmpty();
		assertThat(Instant.parse(renamed.get("updatedAt").stringValue()))
			.isAfter(Instant.parse(first.get("updatedAt").stringValue()));
		this.anonymous.get()
			.uri("/api/v1/collections/{id}", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.name").isEqualTo("Tools & more");

		this.client.patch()
			.uri("/api/v1/collections/{id}", second.get("id").stringValue())
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\":\"TOOLS & MORE\"}")
			.exchange()
			.expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.status").isEqualTo(409);
		assertThat(this.catalog.count("SELECT count(*) FROM collections WHERE name = 'Other'")).isOne();

		String artifact = createArtifact("member");
		this.client.put().uri("/api/v1/collections/{id}/artifacts/{a}", id, artifact).exchange().expectStatus().isCreated();
		this.client.delete().uri("/api/v1/collections/{id}", id).exchange().expectStatus().isNoContent();
		this.anonymous.get().uri("/api/v1/collections/{id}", id).exchange().expectStatus().isNotFound();
		assertThat(this.catalog.count("SELECT count(*) FROM collection_artifacts")).isZero();
		this.anonymous.get()
			.uri("/api/v1/artifacts/{id}", artifact)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.collections.length()").isEqualTo(0);
		this.client.delete().uri("/api/v1/collections/{id}", id).exchange().expectStatus().isNotFound();
	}

	@Test
	void singleMembershipChangesAreIdempotent() {
		String collection = createCollection("Solo", "").get("id").stringValue();
		String artifact = createArtifact("solo");
		this.client.put()
			.uri("/api/v1/collections/{id}/artifacts/{a}", collection, artifact)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectHeader()
			.location("/api/v1/collections/" + collection + "/artifacts/" + artifact);
		this.client.put()
			.uri("/api/v1/collections/{id}/artifacts/{a}", collection, artifact)
			.exchange()
			.expectStatus()
			.isNoContent();
		assertThat(artifactCount(collection)).isOne();
		this.client.delete()
			.uri("/api/v1/collections/{id}/artifacts/{a}", collection, artifact)
			.exchange()
			.expectStatus()
			.isNoContent();
		this.client.delete()
			.uri("/api/v1/collections/{id}/artifacts/{a}", collection, artifact)
			.exchange()
			.expectStatus()
			.isNoContent();
		assertThat(artifactCount(collection)).isZero();
		assertThat(this.catalog.count("SELECT count(*) FROM collection_artifacts")).isZero();
	}

	@Test
	void batchAnswersWhatChangedAndTheExactCount() {
		this.catalog.seed(100, 3);
		String collection = this.catalog.database()
			.sql("SELECT id::text FROM collections WHERE name = 'Hot picks'")
			.map((row) -> row.get(0, String.class))
			.one()
			.block();
		List<String> members = ids("SELECT artifact_id::text FROM collection_artifacts WHERE collection_id = '"
				+ collection + "' ORDER BY artifact_id LIMIT 3");
		List<String> outsiders = ids("SELECT a.id::text FROM artifacts a WHERE NOT EXISTS (SELECT 1 FROM"
				+ " collection_artifacts ca WHERE ca.artifact_id = a.id AND ca.collection_id = '" + collection
				+ "') ORDER BY a.id LIMIT 4");
		long before = artifactCount(collection);

		// add two outsiders and one member (no-op); remove two members and two outsiders (no-op)
		String body = "{\"add\":[" + quoted(List.of(outsiders.get(0), members.get(0), outsiders.get(1)))
				+ "],\"remove\":[" + quoted(List.of(members.get(1), outsiders.get(2), members.get(2), outsiders.get(3)))
				+ "]}";
		this.client.post()
			.uri("/api/v1/collections/{id}/memberships", collection)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.added").isEqualTo(List.of(outsiders.get(0), outsiders.get(1)))
			.jsonPath("$.removed").isEqualTo(List.of(members.get(1), members.get(2)))
			.jsonPath("$.artifactCount").isEqualTo((int) before);
		assertThat(artifactCount(collection)).isEqualTo(before)
			.isEqualTo(this.catalog
				.count("SELECT count(*) FROM collection_artifacts WHERE collection_id = '" + collection + "'"));
		assertThat(this.catalog.count("SELECT count(*) FROM collection_artifacts WHERE collection_id = '" + collection
				+ "' AND artifact_id IN ('" + outsiders.get(0) + "', '" + outsiders.get(1) + "')")).isEqualTo(2);
	}

	@Test
	void aBatchRunsTheSameStatementsForTenIdsAsForFiveHundred() {
		this.catalog.seed(510, 3);
		String collection = createCollection("Batch target", "").get("id").stringValue();
		List<String> artifacts = ids("SELECT id::text FROM artifacts ORDER BY id");

		Measured ten = batch(collection, "{\"add\":[" + quoted(artifacts.subList(0, 10)) + "]}");
		Measured fiveHundred = batch(collection, "{\"add\":[" + quoted(artifacts.subList(10, 510)) + "]}");
		assertThat(ten.statements()).isEqualTo(fiveHundred.statements()).isEqualTo(2);
		assertThat(ten.counted()).isEqualTo(ten.statements());
		assertThat(fiveHundred.counted()).isEqualTo(fiveHundred.statements());
		assertThat(artifactCount(collection)).isEqualTo(510);

		Measured mixed = batch(collection, "{\"add\":[],\"remove\":[" + quoted(artifacts.subList(0, 500)) + "]}");
		Measured both = batch(collection, "{\"add\":[" + quoted(artifacts.subList(0, 250)) + "],\"remove\":["
				+ quoted(artifacts.subList(250, 500)) + "]}");
		assertThat(mixed.statements()).isEqualTo(2);
		assertThat(both.statements()).isEqualTo(3);
		assertThat(artifactCount(collection)).isEqualTo(260)
			.isEqualTo(this.catalog
				.count("SELECT count(*) FROM collection_artifacts WHERE collection_id = '" + collection + "'"));
	}

	@Test
	void membershipsAddedOneByOneAndInBatchesCarryTheirArtifactsCreationTime() {
		this.catalog.seed(40, 3);
		String collection = createCollection("Ordered", "").get("id").stringValue();
		List<String> artifacts = ids("SELECT id::text FROM artifacts ORDER BY id");
		batch(collection, "{\"add\":[" + quoted(artifacts.subList(0, 30)) + "]}");
		for (String artifact : artifacts.subList(30, 40)) {
			this.client.put()
				.uri("/api/v1/collections/{id}/artifacts/{a}", collection, artifact)
				.exchange()
				.expectStatus()
				.isCreated();
		}
		assertThat(this.catalog.count("SELECT count(*) FROM collection_artifacts WHERE collection_id = '" + collection
				+ "'")).isEqualTo(40);
		assertThat(this.catalog.count("""
				SELECT count(*) FROM collection_artifacts ca JOIN artifacts a ON a.id = ca.artifact_id
				 WHERE ca.artifact_created_at IS DISTINCT FROM a.created_at""")).isZero();
	}

	@Test
	void aWriteIsSeenAtOnceByTheArtifactListItsCollectionsAndStats() {
		this.catalog.seed(30, 3);
		// read everything once first, so that a cache (if any) holds the old answers
		JsonNode statsBefore = read("/api/v1/stats");
		read("/api/v1/artifacts?limit=5");
		String collection = this.catalog.database()
			.sql("SELECT id::text FROM collections WHERE name = 'Hot picks'")
			.map((row) -> row.get(0, String.class))
			.one()
			.block();
		read("/api/v1/collections/" + collection + "/artifacts?limit=5");
		long count = read("/api/v1/collections/" + collection).get("artifactCount").asLong();

		String artifact = createArtifact("fresh-artifact");
		this.client.put()
			.uri("/api/v1/collections/{id}/artifacts/{a}", collection, artifact)
			.exchange()
			.expectStatus()
			.isCreated();

		JsonNode newest = read("/api/v1/artifacts?limit=5").get("items").get(0);
		assertThat(newest.get("id").stringValue()).isEqualTo(artifact);
		assertThat(newest.get("collections")).hasSize(1);
		assertThat(newest.get("collections").get(0).get("id").stringValue()).isEqualTo(collection);
		assertThat(newest.get("collections").get(0).get("artifactCount").asLong()).isEqualTo(count + 1);
		JsonNode recent = read("/api/v1/collections/" + collection + "/artifacts?limit=5").get("items").get(0);
		assertThat(recent.get("id").stringValue()).isEqualTo(artifact);
		assertThat(read("/api/v1/collections/" + collection).get("artifactCount").asLong()).isEqualTo(count + 1);
		JsonNode stats = read("/api/v1/stats");
		assertThat(stats.get("artifacts").asLong()).isEqualTo(statsBefore.get("artifacts").asLong() + 1);
		assertThat(stats.get("memberships").asLong()).isEqualTo(statsBefore.get("memberships").asLong() + 1);
		assertThat(stats.get("artifactsByType").get("hook").asLong())
			.isEqualTo(statsBefore.get("artifactsByType").get("hook").asLong() + 1);

		this.client.delete().uri("/api/v1/artifacts/{id}", artifact).exchange().expectStatus().isNoContent();
		assertThat(read("/api/v1/artifacts?limit=5").get("items").get(0).get("id").stringValue()).isNotEqualTo(artifact);
		assertThat(read("/api/v1/collections/" + collection).get("artifactCount").asLong()).isEqualTo(count);
		assertThat(read("/api/v1/stats")).isEqualTo(statsBefore);
	}

	private record Measured(int statements, double counted) {

	}

	private Measured batch(String collection, String body) {
		double before = this.meters.counter("catalog.db.statements").count();
		EntityExchangeResult<byte[]> result = this.client.post()
			.uri("/api/v1/collections/{id}/memberships", collection)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult();
		double counted = this.meters.counter("catalog.db.statements").count() - before;
		Matcher timing = STATEMENTS.matcher(result.getResponseHeaders().getFirst("Server-Timing"));
		assertThat(timing.find()).isTrue();
		return new Measured(Integer.parseInt(timing.group(1)), counted);
	}

	private JsonNode createCollection(String name, String description) {
		EntityExchangeResult<byte[]> result = this.client.post()
			.uri("/api/v1/collections")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\":\"" + name + "\",\"description\":\"" + description + "\"}")
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.returnResult();
		JsonNode created = json(result.getResponseBody());
		assertThat(result.getResponseHeaders().getLocation())
			.hasToString("/api/v1/collections/" + created.get("id").stringValue());
		return created;
	}

	private String createArtifact(String name) {
		return json(this.client.post()
			.uri("/api/v1/artifacts")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\":\"" + name + "\",\"type\":\"hook\"}")
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.returnResult()
			.getResponseBody()).get("id").stringValue();
	}

	private JsonNode read(String path) {
		return json(this.anonymous.get()
			.uri(path)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
	}

	private long artifactCount(String collection) {
		return this.catalog.count("SELECT artifact_count FROM collections WHERE id = '" + collection + "'");
	}

	private List<String> ids(String sql) {
		return this.catalog.database().sql(sql).map((row) -> row.get(0, String.class)).all().collectList().block();
	}

	private static String quoted(List<String> ids) {
		return ids.stream().map((id) -> "\"" + id + "\"").collect(Collectors.joining(","));
	}

	private JsonNode json(byte[] body) {
		return this.json.readTree(body);
	}

}
