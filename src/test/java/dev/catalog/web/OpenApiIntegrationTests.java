package dev.catalog.web;

import dev.catalog.CatalogIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

@CatalogIntegrationTest
class OpenApiIntegrationTests {

	@Autowired
	WebTestClient http;

	@Test
	void theOpenApiDocumentDescribesEveryReadEndpoint() {
		this.http.get()
			.uri("/v3/api-docs")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody()
			.jsonPath("$.paths['/api/v1/artifacts'].get.parameters[*].name")
			.value((names) -> org.assertj.core.api.Assertions.assertThat(names.toString())
				.contains("limit", "cursor", "type", "tag", "collection", "q"))
			.jsonPath("$.paths['/api/v1/artifacts'].get.responses['200'].content['application/x-ndjson']").exists()
			.jsonPath("$.paths['/api/v1/artifacts'].get.responses['200'].content['text/event-stream']").exists()
			.jsonPath("$.paths['/api/v1/artifacts/{id}'].get.responses['404']").exists()
			.jsonPath("$.paths['/api/v1/collections'].get").exists()
			.jsonPath("$.paths['/api/v1/collections/{id}'].get").exists()
			.jsonPath("$.paths['/api/v1/collections/{id}/artifacts'].get").exists()
			.jsonPath("$.paths['/api/v1/stats'].get").exists();
	}

	@Test
	void theSwaggerUiIsServed() {
		this.http.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
	}

}
