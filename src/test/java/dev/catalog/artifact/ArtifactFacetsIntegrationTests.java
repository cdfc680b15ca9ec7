package dev.catalog.artifact;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import dev.catalog.CatalogIntegrationTest;
import dev.catalog.Statements;
import dev.catalog.TestCatalog;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static dev.catalog.TestClients.page;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /api/v1/artifacts/facets} on a seeded catalog, against the real servers: every
 * count is checked against a count of the test's own, written with other SQL than the
 * service's (a count of matching tags instead of one {@code EXISTS} per tag, {@code IN} instead
 * of {@code EXISTS}, {@code strpos} instead of {@code ILIKE}, memberships counted rather than
 * read from {@code artifact_count}).
 */
@CatalogIntegrationTest
class ArtifactFacetsIntegrationTests {

	private static final List<String> TYPES = List.of("skill", "command", "agent", "mcp", "hook");

	private static final int TOP = 20;

	@Autowired
	WebTestClient http;

	@Autowired
	TestCatalog catalog;

	@BeforeEach
	void seed() {
		this.catalog.reset();
		// 30 distinct tags and 40 collections: more of each than the facets name
		this.catalog.seed(400, 40);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "none", "type", "two tags", "collection", "q", "type, tag and collection",
			"q with a LIKE wildcard", "an unknown collection" })
	void facetsAreExactCountsInOneStatementOnAMissAndNoneOnAHit(String filters) {
		Filter filter = filter(filters);
		EntityExchangeResult<Map<String, Object>> miss = page(this.http, "/api/v1/artifacts/facets?" + filter.query());
		assertThat(miss.getResponseHeaders().getFirst("X-Cache")).isEqualTo("MISS");
		assertThat(Statements.of(miss)).isEqualTo(1);

		Map<String, Object> facets = miss.getResponseBody();
		assertThat(facets).containsOnlyKeys("total", "types", "tags", "collections");
		assertThat(number(facets.get("total"))).as("total").isEqualTo(count(filter, filter.type()));
		Map<String, Long> expectedTypes = new LinkedHashMap<>();
		TYPES.forEach((type) -> expectedTypes.put(type, count(filter, type)));
		assertThat(types(facets)).as("types").containsExactlyEntriesOf(expectedTypes);
		assertThat(tags(facets)).as("tags").isEqualTo(expectedTags(filter));
		assertThat(collections(facets)).as("collections").isEqualTo(expectedCollections(filter));

		EntityExchangeResult<Map<String, Object>> hit = page(this.http, "/api/v1/artifacts/facets?" + filter.query());
		assertThat(hit.getResponseHeaders().getFirst("X-Cache")).isEqualTo("HIT");
		assertThat(Statements.of(hit)).isZero();
		assertThat(hit.getResponseBody()).isEqualTo(facets);
	}

	@Test
	void typesIgnoreTheTypeFilterWhileTotalHonoursIt() {
		String tag = mostCommonTag();
		Map<String, Object> all = facets("tag=" + tag);
		assertThat(number(all.get("total"))).isEqualTo(types(all).values().stream().mapToLong(Long::longValue).sum());
		for (String type : TYPES) {
			Map<String, Object> ofType = facets("tag=" + tag + "&type=" + type);
			assertThat(types(ofType)).as(type).isEqualTo(types(all));
			assertThat(number(ofType.get("total"))).as(type).isEqualTo(types(all).get(type));
		}
		assertThat(types(all).values()).as("the catalog has artifacts of several types with the tag")
			.filteredOn((n) -> n > 0)
			.hasSizeGreaterThan(1);
	}

	@Test
	void tagsAndCollectionsAreTheTopTwentyMostFirstThenByName() {
		Map<String, Object> facets = facets("");
		List<List<Object>> tags = tags(facets);
		List<List<Object>> collections = collections(facets);
		assertThat(tags).hasSize(TOP);
		assertThat(collections).hasSize(TOP);
		assertThat(this.catalog.count("SELECT count(DISTINCT tag) FROM artifact_tags")).isGreaterThan(TOP);
		assertThat(this.catalog.count("SELECT count(*) FROM collections")).isGreaterThan(TOP);

		// seeded tags are lower-case letters: ordered the same by Java and by any collation
		for (int i = 1; i < tags.size(); i++) {
			long before = (long) tags.get(i - 1).get(1);
			long after = (long) tags.get(i).get(1);
			assertThat(before).isGreaterThanOrEqualTo(after);
			if (before == after) {
				assertThat((String) tags.get(i - 1).get(0)).isLessThan((String) tags.get(i).get(0));
			}
		}
		assertThat(tags.stream().map((tag) -> (long) tag.get(1)).distinct().count()).as("ties broken by tag")
			.isLessThan(TOP);
		assertThat(collections.get(0).get(1)).as("the hot collection holds the most").isEqualTo("Hot picks");
		List<Long> counts = collections.stream().map((collection) -> (long) collection.get(2)).toList();
		assertThat(counts).isSortedAccordingTo((a, b) -> Long.compare(b, a));
		// which twenty of the tied collections, in which order, is what the independent count says
		assertThat(collections).isEqualTo(expectedCollections(filter("none")));
	}

	@Test
	void anEmptyCollectionIsNoFacetAndAnEmptyMatchHasEveryTypeAtZero() {
		UUID empty = UUID.randomUUID();
		this.catalog.database()
			.sql("INSERT INTO collections (id, name, created_at, updated_at) VALUES (:id, 'Aaa empty', now(), now())")
			.bind("id", empty)
			.then()
			.block();
		this.catalog.changed();
		assertThat(collections(facets(""))).extracting((collection) -> collection.get(0))
			.doesNotContain(empty.toString());

		Map<String, Object> none = facets("collection=" + empty);
		assertThat(none).containsEntry("total", 0)
			.containsEntry("types", Map.of("skill", 0, "command", 0, "agent", 0, "mcp", 0, "hook", 0))
			.containsEntry("tags", List.of())
			.containsEntry("collections", List.of());
	}

	@Test
	void limitAndCursorAreIgnoredAndShareTheEntryOfTheFiltersAlone() {
		EntityExchangeResult<Map<String, Object>> first = page(this.http, "/api/v1/artifacts/facets?type=agent");
		EntityExchangeResult<Map<String, Object>> paged = page(this.http,
				"/api/v1/artifacts/facets?limit=0&type=agent&cursor=garbage");
		assertThat(paged.getResponseHeaders().getFirst("X-Cache")).isEqualTo("HIT");
		assertThat(paged.getResponseHeaders().getETag()).isEqualTo(first.getResponseHeaders().getETag());
		assertThat(paged.getResponseBody()).isEqualTo(first.getResponseBody());
	}

	@Test
	void aChangeToTheCatalogIsCountedAtOnce() {
		long before = number(facets("").get("total"));
		this.catalog.database()
			.sql("INSERT INTO artifacts (id, name, type, created_at, updated_at) VALUES (:id, 'new', 'hook', now(), now())")
			.bind("id", UUID.randomUUID())
			.then()
			.block();
		this.catalog.changed();
		Map<String, Object> after = facets("");
		assertThat(number(after.get("total"))).isEqualTo(before + 1);
		assertThat(types(after).get("hook")).isEqualTo(count(filter("none"), "hook"));
	}

	@Test
	void theFacetsAreJsonOnly() {
		this.http.get()
			.uri("/api/v1/artifacts/facets")
			.accept(MediaType.APPLICATION_NDJSON)
			.exchange()
			.expectStatus()
			.isEqualTo(406)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.detail").isEqualTo("This resource is available as [application/json].");
	}

	@Test
	void theOpenApiDocumentDescribesTheFacetsBesideTheArtifact() {
		this.http.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.paths['/api/v1/artifacts/facets'].get.operationId").isEqualTo("artifactFacets")
			.jsonPath("$.paths['/api/v1/artifacts/facets'].get.parameters[*].name")
			.value((names) -> assertThat(names.toString()).contains("type", "tag", "collection", "q")
				.doesNotContain("limit", "cursor"))
			.jsonPath("$.paths['/api/v1/artifacts/facets'].get.responses['200'].content['application/json']")
			.exists()
			.jsonPath("$.paths['/api/v1/artifacts/facets'].get.responses['406']").exists()
			.jsonPath("$.paths['/api/v1/artifacts/{id}'].get.operationId").isEqualTo("getArtifact");
	}

	/** The filters of a case, with values picked from the seeded catalog so that they match. */
	private Filter filter(String filters) {
		return switch (filters) {
			case "none" -> new Filter(null, List.of(), null, null);
			case "type" -> new Filter("skill", List.of(), null, null);
			case "two tags" -> {
				List<String> pair = row("""
						SELECT x.tag, y.tag FROM artifact_tags x
						  JOIN artifact_tags y ON y.artifact_id = x.artifact_id AND y.tag > x.tag
						 GROUP BY x.tag, y.tag ORDER BY count(*) DESC, x.tag, y.tag LIMIT 1""");
				yield new Filter(null, pair, null, null);
			}
			case "collection" -> new Filter(null, List.of(), UUID.fromString(row("""
					SELECT c.id::text FROM collections c WHERE c.name <> 'Hot picks'
					 ORDER BY c.artifact_count DESC, c.id LIMIT 1""").get(0)), null);
			case "q" -> new Filter(null, List.of(), null, "BRAVE");
			case "type, tag and collection" -> {
				List<String> picked = row("""
						SELECT a.type, t.tag, m.collection_id::text FROM artifacts a
						  JOIN artifact_tags t ON t.artifact_id = a.id
						  JOIN collection_artifacts m ON m.artifact_id = a.id
						 GROUP BY 1, 2, 3 ORDER BY count(*) DESC, 1, 2, 3 LIMIT 1""");
				yield new Filter(picked.get(0), List.of(picked.get(1)), UUID.fromString(picked.get(2)), null);
			}
			case "q with a LIKE wildcard" -> new Filter(null, List.of(), null, "%");
			case "an unknown collection" -> new Filter(null, List.of(), UUID.randomUUID(), null);
			default -> throw new IllegalArgumentException(filters);
		};
	}

	/** Artifacts matching the filter's tags, collection and q, and {@code type} if not null. */
	private long count(Filter filter, @Nullable String type) {
		return this.catalog.count("SELECT count(*) FROM artifacts a WHERE " + filter.conditions(type));
	}

	private List<List<Object>> expectedTags(Filter filter) {
		return rows("""
				SELECT t.tag, count(*) FROM artifacts a JOIN artifact_tags t ON t.artifact_id = a.id
				 WHERE %s GROUP BY t.tag ORDER BY count(*) DESC, t.tag LIMIT %d""".formatted(filter.conditions(filter.type()), TOP),
				2);
	}

	private List<List<Object>> expectedCollections(Filter filter) {
		return rows("""
				SELECT c.id::text, c.name, count(*) FROM artifacts a
				  JOIN collection_artifacts m ON m.artifact_id = a.id
				  JOIN collections c ON c.id = m.collection_id
				 WHERE %s GROUP BY c.id, c.name ORDER BY count(*) DESC, c.name, c.id LIMIT %d"""
			.formatted(filter.conditions(filter.type()), TOP), 3);
	}

	private String mostCommonTag() {
		return row("SELECT tag FROM artifact_tags GROUP BY tag ORDER BY count(*) DESC, tag LIMIT 1").get(0);
	}

	private Map<String, Object> facets(String query) {
		return page(this.http, "/api/v1/artifacts/facets?" + query).getResponseBody();
	}

	private List<String> row(String sql) {
		return this.catalog.database().sql(sql).map((row, metadata) -> {
			List<String> values = new ArrayList<>();
			for (int i = 0; i < metadata.getColumnMetadatas().size(); i++) {
				values.add(row.get(i, String.class));
			}
			return values;
		}).one().block();
	}

	/** Each row as its columns: text, then the count in the last column as a long. */
	private List<List<Object>> rows(String sql, int columns) {
		return this.catalog.database().sql(sql).map((row) -> {
			List<Object> values = new ArrayList<>();
			for (int i = 0; i < columns - 1; i++) {
				values.add(row.get(i, String.class));
			}
			values.add(row.get(columns - 1, Long.class));
			return values;
		}).all().collectList().block();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Long> types(Map<String, Object> facets) {
		Map<String, Long> types = new LinkedHashMap<>();
		((Map<String, Object>) facets.get("types")).forEach((type, n) -> types.put(type, number(n)));
		return types;
	}

	@SuppressWarnings("unchecked")
	private static List<List<Object>> tags(Map<String, Object> facets) {
		return ((List<Map<String, Object>>) facets.get("tags")).stream()
			.map((tag) -> {
				assertThat(tag).containsOnlyKeys("tag", "count");
				return List.<Object>of(tag.get("tag"), number(tag.get("count")));
			})
			.toList();
	}

	@SuppressWarnings("unchecked")
	private static List<List<Object>> collections(Map<String, Object> facets) {
		return ((List<Map<String, Object>>) facets.get("collections")).stream()
			.map((collection) -> {
				assertThat(collection).containsOnlyKeys("id", "name", "count");
				return List.<Object>of(collection.get("id"), collection.get("name"), number(collection.get("count")));
			})
			.toList();
	}

	private static long number(@Nullable Object value) {
		return ((Number) value).longValue();
	}

	/**
	 * A case's filters, as the request's query string and as the test's own SQL conditions.
	 */
	private record Filter(@Nullable String type, List<String> tags, @Nullable UUID collection, @Nullable String q) {

		String query() {
			List<String> parameters = new ArrayList<>();
			if (this.type != null) {
				parameters.add("type=" + this.type);
			}
			this.tags.forEach((tag) -> parameters.add("tag=" + tag));
			if (this.collection != null) {
				parameters.add("collection=" + this.collection);
			}
			if (this.q != null) {
				parameters.add("q=" + this.q.replace("%", "%25"));
			}
			return String.join("&", parameters);
		}

		/** Every filter but type, then {@code type} if not null; literals from the seed only. */
		String conditions(@Nullable String type) {
			List<String> conditions = new ArrayList<>();
			conditions.add("true");
			if (type != null) {
				conditions.add("a.type = '" + type + "'");
			}
			if (!this.tags.isEmpty()) {
				conditions.add(this.tags.size() + " = (SELECT count(*) FROM artifact_tags x WHERE x.artifact_id = a.id"
						+ " AND x.tag IN (" + this.tags.stream().map((tag) -> "'" + tag + "'").collect(Collectors.joining(", "))
						+ "))");
			}
			if (this.collection != null) {
				conditions.add("a.id IN (SELECT m.artifact_id FROM collection_artifacts m WHERE m.collection_id = '"
						+ this.collection + "')");
			}
			if (this.q != null) {
				conditions.add("strpos(lower(a.name), lower('" + this.q + "')) > 0");
			}
			return String.join(" AND ", conditions);
		}

	}

}
