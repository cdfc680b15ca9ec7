package dev.catalog.artifact;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.catalog.TestCatalog;
import dev.catalog.TestClients;
import dev.catalog.WriteIntegrationTest;
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
class ArtifactWriteIntegrationTests {

	@Autowired
	WebTestClient anonymous;

	@Autowired
	TestCatalog catalog;

	@Autowired
	JsonMapper json;

	WebTestClient client;

	@BeforeEach
	void reset() {
		this.catalog.reset();
		this.client = TestClients.writer(this.anonymous);
	}

	@Test
	void createdArtifactIsAnsweredExactlyAsGetShowsIt() {
		String name = "Ünïcödé 🚀 '; DROP TABLE artifacts; -- \"x\" \\ %_";
		EntityExchangeResult<byte[]> created = this.client.post()
			.uri("/api/v1/artifacts")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", name, "type", "mcp", "description", "multi\nline\ttext",
					"tags", List.of("zeta", "älpha", "🚀", "zeta"),
					"metadata", json("{\"price\":1.50,\"big\":123456789012345678901234567890,\"nested\":{\"a\":[1,\"x\",null,true]}}")))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.returnResult();
		JsonNode body = json(created.getResponseBody());
		String id = body.get("id").stringValue();
		assertThat(created.getResponseHeaders().getLocation()).hasToString("/api/v1/artifacts/" + id);
		assertThat(body.get("name").stringValue()).isEqualTo(name);
		assertThat(body.get("tags")).extracting(JsonNode::stringValue).containsExactlyInAnyOrder("zeta", "älpha", "🚀");
		assertThat(body.get("metadata").get("price").decimalValue()).isEqualByComparingTo("1.50");
		assertThat(body.get("metadata").get("big").bigIntegerValue()).hasToString("123456789012345678901234567890");
		assertThat(body.get("versions")).isEmpty();
		assertThat(body.get("collections")).isEmpty();
		assertThat(body.get("createdAt")).isEqualTo(body.get("updatedAt"));

		byte[] read = this.anonymous.get()
			.uri("/api/v1/artifacts/{id}", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
		assertThat(json(read)).isEqualTo(body);
	}

	@Test
	void patchIsAJsonMergePatchThatMovesUpdatedAt() {
		JsonNode created = create("{\"name\":\"before\",\"type\":\"skill\",\"description\":\"d\",\"tags\":[\"b\",\"a\"],"
				+ "\"metadata\":{\"keep\":1,\"nested\":{\"x\":1,\"y\":2},\"drop\":true}}");
		String id = created.get("id").stringValue();

		JsonNode patched = json(this.client.patch()
			.uri("/api/v1/artifacts/{id}", id)
			.contentType(MediaType.parseMediaType("application/merge-patch+json"))
			.bodyValue("{\"name\":\"after\",\"description\":null,\"tags\":[\"c\",\"a\"],"
					+ "\"metadata\":{\"nested\":{\"y\":null,\"z\":{\"deep\":[1]}},\"drop\":null,\"new\":\"v\"}}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());

		assertThat(patched.get("name").stringValue()).isEqualTo("after");
		assertThat(patched.get("type").stringValue()).isEqualTo("skill");
		assertThat(patched.get("description").stringValue()).isEmpty();
		assertThat(patched.get("tags")).isEqualTo(json("[\"a\",\"c\"]"));
		assertThat(patched.get("metadata"))
			.isEqualTo(json("{\"keep\":1,\"nested\":{\"x\":1,\"z\":{\"deep\":[1]}},\"new\":\"v\"}"));
		assertThat(patched.get("createdAt")).isEqualTo(created.get("createdAt"));
		assertThat(Instant.parse(patched.get("updatedAt").stringValue()))
			.isAfter(Instant.parse(created.get("updatedAt").stringValue()));
		assertThat(json(get(id))).isEqualTo(patched);

		// plain JSON is accepted as a merge patch too; an absent member stays as it is
		JsonNode again = json(this.client.patch()
			.uri("/api/v1/artifacts/{id}", id)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"type\":\"hook\",\"metadata\":null,\"tags\":null}")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody());
		assertThat(again.get("name").stringValue()).isEqualTo("after");
		assertThat(again.get("type").stringValue()).isEqualTo("hook");
		assertThat(again.get("metadata")).isEqualTo(json("{}"));
		assertThat(again.get("tags")).isEmpty();
		assertThat(this.catalog.count("SELECT count(*) FROM artifact_tags")).isZero();
	}

	@Test
	void deletingAnArtifactRemovesItFromEveryCollectionWithExactCounts() {
		this.catalog.seed(200, 5);
		String id = this.catalog.database()
			.sql("SELECT artifact_id::text FROM collection_artifacts GROUP BY artifact_id HAVING count(*) > 1"
					+ " ORDER BY artifact_id LIMIT 1")
			.map((row) -> row.get(0, String.class))
			.one()
			.block();
		long memberships = this.catalog.count("SELECT count(*) FROM collection_artifacts");
		long inCollections = this.catalog
			.count("SELECT count(*) FROM collection_artifacts WHERE artifact_id = '" + id + "'");

		this.client.delete().uri("/api/v1/artifacts/{id}", id).exchange().expectStatus().isNoContent();

		this.anonymous.get().uri("/api/v1/artifacts/{id}", id).exchange().expectStatus().isNotFound();
		assertThat(this.catalog.count("SELECT count(*) FROM collection_artifacts"))
			.isEqualTo(memberships - inCollections);
		assertThat(this.catalog.count("SELECT count(*) FROM artifact_tags WHERE artifact_id = '" + id + "'")
				+ this.catalog.count("SELECT count(*) FROM artifact_versions WHERE artifact_id = '" + id + "'"))
			.isZero();
		assertThat(this.catalog.count("""
				SELECT count(*) FROM collections c
				 WHERE c.artifact_count <> (SELECT count(*) FROM collection_artifacts ca WHERE ca.collection_id = c.id)
				""")).isZero();
		this.client.delete().uri("/api/v1/artifacts/{id}", id).exchange().expectStatus().isNotFound();
	}

	@Test
	void versionsAreAddedNewestFirstAndOnlyOnce() {
		JsonNode created = create("{\"name\":\"versioned\",\"type\":\"agent\"}");
		String id = created.get("id").stringValue();
		this.client.post()
			.uri("/api/v1/artifacts/{id}/versions", id)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"version\":\"1.0.0\",\"releasedAt\":\"2025-01-01T10:00:00+02:00\"}")
			.exchange()
			.expectStatus()
			.isCreated()
			.expectHeader()
			.location("/api/v1/artifacts/" + id)
			.expectBody()
			.jsonPath("$.version").isEqualTo("1.0.0")
			.jsonPath("$.releasedAt").isEqualTo("2025-01-01T08:00:00Z");
		this.client.post()
			.uri("/api/v1/artifacts/{id}/versions", id)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"version\":\"1.1.0\"}")
			.exchange()
			.expectStatus()
			.isCreated();
		this.client.post()
			.uri("/api/v1/artifacts/{id}/versions", id)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"version\":\"1.0.0\"}")
			.exchange()
			.expectStatus()
			.isEqualTo(409)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);

		JsonNode detail = json(get(id));
		assertThat(detail.get("versions")).hasSize(2);
		assertThat(detail.get("versions").get(0).get("version").stringValue()).isEqualTo("1.1.0");
		assertThat(detail.get("versions").get(1).get("version").stringValue()).isEqualTo("1.0.0");
		assertThat(Instant.parse(detail.get("updatedAt").stringValue()))
			.isAfter(Instant.parse(created.get("updatedAt").stringValue()));
	}

	@Test
	void eitherConfiguredTokenIsAccepted() {
		this.anonymous.post()
			.uri("/api/v1/artifacts")
			.header(HttpHeaders.AUTHORIZATION, "bearer second-token")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\":\"x\",\"type\":\"skill\"}")
			.exchange()
			.expectStatus()
			.isCreated();
	}

	@Test
	void theOpenApiDocumentDescribesEveryWrite() {
		// the document is built on first request, which takes a while on a busy machine
		this.anonymous.mutate()
			.responseTimeout(java.time.Duration.ofMinutes(1))
			.build()
			.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.paths['/api/v1/artifacts'].post.operationId").isEqualTo("createArtifact")
			.jsonPath("$.paths['/api/v1/artifacts/{id}'].patch.operationId").isEqualTo("patchArtifact")
			.jsonPath("$.paths['/api/v1/artifacts/{id}'].delete.operationId").isEqualTo("deleteArtifact")
			.jsonPath("$.paths['/api/v1/artifacts/{id}/versions'].post.operationId").isEqualTo("addArtifactVersion")
			.jsonPath("$.paths['/api/v1/collections'].post.operationId").isEqualTo("createCollection")
			.jsonPath("$.paths['/api/v1/collections/{id}'].patch.operationId").isEqualTo("patchCollection")
			.jsonPath("$.paths['/api/v1/collections/{id}'].delete.operationId").isEqualTo("deleteCollection")
			.jsonPath("$.paths['/api/v1/collections/{id}/artifacts/{artifactId}'].put.operationId")
			.isEqualTo("addCollectionArtifact")
			.jsonPath("$.paths['/api/v1/collections/{id}/artifacts/{artifactId}'].delete.operationId")
			.isEqualTo("removeCollectionArtifact")
			.jsonPath("$.paths['/api/v1/collections/{id}/memberships'].post.operationId")
			.isEqualTo("changeCollectionArtifacts")
			.jsonPath("$.paths['/api/v1/artifacts'].post.requestBody.content['application/json'].schema.$ref")
			.value(String.class, (ref) -> assertThat(ref).endsWith("NewArtifact"))
			.jsonPath("$.paths['/api/v1/artifacts/{id}'].patch.requestBody.content['application/merge-patch+json']")
			.exists()
			.jsonPath("$.paths['/api/v1/artifacts'].post.responses['401']").exists()
			.jsonPath("$.paths['/api/v1/collections/{id}/memberships'].post.responses['200'].content['application/json'].schema.$ref")
			.value(String.class, (ref) -> assertThat(ref).endsWith("MembershipChange"));
	}

	private JsonNode create(String body) {
		return json(this.client.post()
			.uri("/api/v1/artifacts")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.returnResult()
			.getResponseBody());
	}

	private byte[] get(String id) {
		return this.anonymous.get()
			.uri("/api/v1/artifacts/{id}", id)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.returnResult()
			.getResponseBody();
	}

	private JsonNode json(byte[] body) {
		return this.json.readTree(body);
	}

	private JsonNode json(String body) {
		return this.json.readTree(body);
	}

}
