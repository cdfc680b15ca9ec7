package dev.catalog.artifact;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.catalog.CatalogIntegrationTest;
import dev.catalog.Statements;
import dev.catalog.TestCatalog;

import static dev.catalog.TestClients.items;
import static dev.catalog.TestClients.page;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

@CatalogIntegrationTest
class ArtifactReadIntegrationTests {

	@Autowired
	WebTestClient http;

	@Autowired
	TestCatalog catalog;

	@BeforeEach
	void seed() {
		this.catalog.reset();
		this.catalog.seed(300, 40);
	}

	@Test
	void aPageOfFiftyArtifactsOverManyCollectionsIsOneStatement() {
		EntityExchangeResult<Map<String, Object>> result = page(this.http, "/api/v1/artifacts?limit=50");

		List<Map<String, Object>> items = items(result);
		assertThat(items).hasSize(50);
		Set<Object> collections = new HashSet<>();
		items.forEach((item) -> collections(item).forEach((collection) -> collections.add(collection.get("id"))));
		assertThat(collections).as("collections on the page").hasSizeGreaterThanOrEqualTo(20);
		assertThat(Statements.of(result)).isEqualTo(1);
	}

	@Test
	void everyListedCollectionCarriesItsExactMemberCount() {
		List<Map<String, Object>> items = items(page(this.http, "/api/v1/artifacts?limit=50"));
		for (Map<String, Object> item : items) {
			for (Map<String, Object> collection : collections(item)) {
				long real = this.catalog.count("SELECT count(*) FROM collection_artifacts WHERE collection_id = '"
						+ collection.get("id") + "'");
				assertThat(((Number) collection.get("artifactCount")).longValue()).isEqualTo(real);
			}
		}
	}

	@Test
	void countsOnAPageAreExactAfterMembershipsChange() {
		Map<String, Object> first = items(page(this.http, "/api/v1/artifacts?limit=1")).get(0);
		Map<String, Object> collection = collections(first).get(0);
		long before = ((Number) collection.get("artifactCount")).longValue();
		Object collectionId = collection.get("id");

		this.catalog.database()
			.sql("""
					INSERT INTO collection_artifacts (collection_id, artifact_id, added_at)
					SELECT :collection, a.id, now() FROM artifacts a
					 WHERE NOT EXISTS (SELECT 1 FROM collection_artifacts ca
					                    WHERE ca.collection_id = :collection AND ca.artifact_id = a.id)
					 ORDER BY a.id LIMIT 7
					""")
			.bind("collection", UUID.fromString((String) collectionId))
			.then()
			.block();
		this.catalog.database()
			.sql("DELETE FROM collection_artifacts WHERE collection_id = :collection AND artifact_id <> :artifact"
					+ " AND artifact_id IN (SELECT artifact_id FROM collection_artifacts"
					+ " WHERE collection_id = :collection AND artifact_id <> :artifact ORDER BY artifact_id LIMIT 3)")
			.bind("collection", UUID.fromString((String) collectionId))
			.bind("artifact", UUID.fromString((String) first.get("id")))
			.then()
			.block();
		this.catalog.changed();

		Map<String, Object> after = items(page(this.http, "/api/v1/artifacts?limit=1")).get(0);
		Map<String, Object> same = collections(after).stream()
			.filter((c) -> c.get("id").equals(collectionId))
			.findFirst()
			.orElseThrow();
		assertThat(((Number) same.get("artifactCount")).longValue()).isEqualTo(before + 7 - 3);
	}

	@Test
	void pagesFollowOneAnotherWithoutGapsOrRepeatsNewestFirst() {
		List<String> seen = new ArrayList<>();
		String cursor = null;
		int pages = 0;
		do {
			EntityExchangeResult<Map<String, Object>> result = page(this.http,
					"/api/v1/artifacts?limit=70" + ((cursor != null) ? "&cursor=" + cursor : ""));
			assertThat(Statements.of(result)).isEqualTo(1);
			items(result).forEach((item) -> seen.add((String) item.get("createdAt") + " " + item.get("id")));
			cursor = (String) result.getResponseBody().get("nextCursor");
			pages++;
		}
		while (cursor != null);

		assertThat(pages).isEqualTo(5);
		assertThat(seen).hasSize(300).doesNotHaveDuplicates();
		List<String> sorted = new ArrayList<>(seen);
		sorted.sort(java.util.Comparator.reverseOrder());
		assertThat(seen).isEqualTo(sorted);
	}

	@Test
	void filtersCombineTypeTagsCollectionAndName() {
		List<Map<String, Object>> skills = items(page(this.http, "/api/v1/artifacts?type=skill&limit=200"));
		assertThat(skills).isNotEmpty().allSatisfy((item) -> assertThat(item.get("type")).isEqualTo("skill"));
		assertThat(skills).hasSize((int) this.catalog.count("SELECT count(*) FROM artifacts WHERE type = 'skill'"));

		Map<String, Object> tagged = items(page(this.http, "/api/v1/artifacts?limit=200")).stream()
			.filter((item) -> ((List<?>) item.get("tags")).size() >= 2)
			.findFirst()
			.orElseThrow();
		List<Object> tags = (List<Object>) tagged.get("tags");
		List<Map<String, Object>> both = items(
				page(this.http, "/api/v1/artifacts?limit=200&tag=" + tags.get(0) + "&tag=" + tags.get(1)));
		assertThat(both).isNotEmpty()
			.allSatisfy((item) -> assertThat((List<Object>) item.get("tags")).contains(tags.get(0), tags.get(1)));
		assertThat(both).extracting((item) -> item.get("id")).contains(tagged.get("id"));

		Object collection = collections(tagged).get(0).get("id");
		EntityExchangeResult<Map<String, Object>> members = page(this.http, "/api/v1/artifacts?limit=200&collection=" + collection);
		assertThat(Statements.of(members)).isEqualTo(1);
		assertThat(items(members)).isNotEmpty()
			.allSatisfy((item) -> assertThat(collections(item)).extracting((c) -> c.get("id")).contains(collection));

		String name = (String) tagged.get("name");
		assertThat(items(page(this.http, "/api/v1/artifacts?q=" + name.toUpperCase())))
			.extracting((item) -> item.get("name"))
			.contains(name);
		assertThat(items(page(this.http, "/api/v1/artifacts?q=%25"))).isEmpty();
	}

	@Test
	void anArtifactWithItsCollectionsTagsVersionsAndMetadataIsOneStatement() {
		Map<String, Object> first = items(page(this.http, "/api/v1/artifacts?limit=1")).get(0);
		EntityExchangeResult<Map<String, Object>> result = page(this.http, "/api/v1/artifacts/" + first.get("id"));

		assertThat(Statements.of(result)).isEqualTo(1);
		Map<String, Object> detail = result.getResponseBody();
		assertThat(detail).containsEntry("id", first.get("id"))
			.containsEntry("name", first.get("name"))
			.containsEntry("tags", first.get("tags"))
			.containsEntry("collections", first.get("collections"))
			.containsKeys("metadata", "versions", "description", "createdAt", "updatedAt");
		assertThat((Map<String, Object>) detail.get("metadata")).containsKey("seed");
		List<Map<String, Object>> versions = (List<Map<String, Object>>) detail.get("versions");
		assertThat(versions).isNotEmpty();
		List<String> released = versions.stream().map((v) -> (String) v.get("releasedAt")).toList();
		assertThat(released).isSortedAccordingTo(java.util.Comparator.reverseOrder());
	}

	@Test
	void aCollectionsArtifactsPageIsOneStatementMostRecentlyAddedFirst() {
		Map<String, Object> collection = collections(items(page(this.http, "/api/v1/artifacts?limit=1")).get(0)).get(0);
		EntityExchangeResult<Map<String, Object>> result = page(this.http,
				"/api/v1/collections/" + collection.get("id") + "/artifacts?limit=50");

		assertThat(Statements.of(result)).isEqualTo(1);
		List<Map<String, Object>> items = items(result);
		assertThat(items).isNotEmpty()
			.allSatisfy((item) -> assertThat(collections(item)).extracting((c) -> c.get("id"))
				.contains(collection.get("id")));
		List<String> added = this.catalog.database()
			.sql("SELECT artifact_id::text AS id FROM collection_artifacts WHERE collection_id = :c"
					+ " ORDER BY added_at DESC, artifact_id DESC LIMIT 50")
			.bind("c", UUID.fromString((String) collection.get("id")))
			.map((row) -> row.get("id", String.class))
			.all()
			.collectList()
			.block();
		assertThat(items).extracting((item) -> item.get("id")).containsExactlyElementsOf(added);
	}

	@Test
	void anEmptyCollectionHasAnEmptyPage() {
		UUID empty = UUID.randomUUID();
		this.catalog.database()
			.sql("INSERT INTO collections (id, name, created_at, updated_at) VALUES (:id, 'Empty', now(), now())")
			.bind("id", empty)
			.then()
			.block();
		EntityExchangeResult<Map<String, Object>> result = page(this.http, "/api/v1/collections/" + empty + "/artifacts");
		assertThat(items(result)).isEmpty();
		assertThat(result.getResponseBody().get("nextCursor")).isNull();
		assertThat(Statements.of(result)).isEqualTo(1);
	}



	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> collections(Map<String, Object> item) {
		return (List<Map<String, Object>>) item.get("collections");
	}

}
