package dev.catalog.collection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
class CollectionReadIntegrationTests {

	@Autowired
	WebTestClient http;

	@Autowired
	TestCatalog catalog;

	@BeforeEach
	void seed() {
		this.catalog.reset();
		this.catalog.seed(200, 45);
	}

	@Test
	void aPageOfCollectionsWithTheirCountsIsOneStatement() {
		EntityExchangeResult<Map<String, Object>> result = page(this.http, "/api/v1/collections?limit=50");
		assertThat(Statements.of(result)).isEqualTo(1);
		List<Map<String, Object>> items = items(result);
		assertThat(items).hasSize(45);
		for (Map<String, Object> item : items) {
			assertThat(((Number) item.get("artifactCount")).longValue()).isEqualTo(this.catalog
				.count("SELECT count(*) FROM collection_artifacts WHERE collection_id = '" + item.get("id") + "'"));
		}
		assertThat(result.getResponseBody().get("nextCursor")).isNull();
	}

	@Test
	void collectionPagesFollowOneAnother() {
		List<Object> ids = new ArrayList<>();
		String cursor = null;
		do {
			EntityExchangeResult<Map<String, Object>> result = page(this.http,
					"/api/v1/collections?limit=10" + ((cursor != null) ? "&cursor=" + cursor : ""));
			items(result).forEach((item) -> ids.add(item.get("id")));
			cursor = (String) result.getResponseBody().get("nextCursor");
		}
		while (cursor != null);
		assertThat(ids).hasSize(45).doesNotHaveDuplicates();
	}

	@Test
	void aCollectionWithItsCountIsOneStatement() {
		Map<String, Object> first = items(page(this.http, "/api/v1/collections?limit=1")).get(0);
		EntityExchangeResult<Map<String, Object>> result = page(this.http, "/api/v1/collections/" + first.get("id"));
		assertThat(Statements.of(result)).isEqualTo(1);
		assertThat(result.getResponseBody()).isEqualTo(first);
	}



}
