package dev.catalog.artifact;

import java.time.Instant;
import java.util.List;

import dev.catalog.CatalogIntegrationTest;
import dev.catalog.TestCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads take their JSON from PostgreSQL ({@code row_to_json}, {@code json_instant}) while writes
 * answer with the service's JSON mapper: both must write the same thing the same way.
 */
@CatalogIntegrationTest
class ArtifactJsonIntegrationTests {

	@Autowired
	WebTestClient http;

	@Autowired
	TestCatalog catalog;

	@Autowired
	JsonMapper json;

	@ParameterizedTest
	@ValueSource(strings = { "2025-01-02T03:46:39Z", "2025-01-02T03:46:39.100Z", "2025-01-02T03:46:39.120Z",
			"2025-01-02T03:46:39.123Z", "2025-01-02T03:46:39.000400Z", "2025-01-02T03:46:39.123456Z",
			"1999-12-31T23:59:59.999999Z", "2026-11-23T00:00:00.001Z", "1970-01-01T00:00:00Z" })
	void postgresWritesAnInstantExactlyAsTheJsonMapperDoes(String text) {
		Instant instant = Instant.parse(text);
		String rendered = this.catalog.database()
			.sql("SELECT to_json(json_instant(:t))::text AS j")
			.bind("t", instant)
			.map((row) -> row.get("j", String.class))
			.one()
			.block();
		assertThat(rendered).isEqualTo(this.json.writeValueAsString(instant));
	}

	@Test
	void aListedArtifactIsItsDetailWithoutMetadataAndVersions() {
		this.catalog.reset();
		this.catalog.seed(30, 6);
		List<JsonNode> items = List.copyOf(read("/api/v1/artifacts?limit=30").get("items").valueStream().toList());
		assertThat(items).hasSize(30);
		assertThat(items).anySatisfy((item) -> assertThat(item.get("collections").size()).isGreaterThan(1));
		for (JsonNode item : items) {
			ObjectNode detail = (ObjectNode) read("/api/v1/artifacts/" + item.get("id").stringValue());
			assertThat(detail.get("metadata").isObject()).isTrue();
			assertThat(detail.get("versions").isArray()).isTrue();
			detail.remove(List.of("metadata", "versions"));
			assertThat(item).isEqualTo(detail);
			assertThat(List.copyOf(item.propertyNames())).containsExactly("id", "name", "type", "description", "tags",
					"createdAt", "updatedAt", "collections");
		}
	}

	@Test
	void aPageIsAnObjectOfItemsAndTheNextCursor() {
		this.catalog.reset();
		this.catalog.seed(3, 3);
		JsonNode first = read("/api/v1/artifacts?limit=2");
		assertThat(List.copyOf(first.propertyNames())).containsExactly("items", "nextCursor");
		assertThat(first.get("nextCursor").isString()).isTrue();
		JsonNode last = read("/api/v1/artifacts?limit=2&cursor=" + first.get("nextCursor").stringValue());
		assertThat(last.get("items")).hasSize(1);
		assertThat(last.get("nextCursor").isNull()).isTrue();
		assertThat(read("/api/v1/artifacts?q=no-such-name").toString()).isEqualTo("{\"items\":[],\"nextCursor\":null}");
	}

	private JsonNode read(String uri) {
		byte[] body = this.http.get().uri(uri).exchange().expectStatus().isOk().expectBody().returnResult().getResponseBody();
		return this.json.readTree(body);
	}

}
