package dev.catalog;

import java.util.List;
import java.util.Map;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/** What the integration tests do with their {@code WebTestClient} again and again. */
public final class TestClients {

	private static final ParameterizedTypeReference<Map<String, Object>> JSON_OBJECT = new ParameterizedTypeReference<>() {
	};

	private TestClients() {
	}

	/** The client with the bearer token of {@link WriteIntegrationTest}, for writes. */
	public static WebTestClient writer(WebTestClient anonymous) {
		return anonymous.mutate()
			.defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + WriteIntegrationTest.TOKEN)
			.build();
	}

	/** A JSON page that must be answered with 200, with its headers. */
	public static EntityExchangeResult<Map<String, Object>> page(WebTestClient http, String uri) {
		return http.get().uri(uri).exchange().expectStatus().isOk().expectBody(JSON_OBJECT).returnResult();
	}

	/** The {@code items} of a page. */
	@SuppressWarnings("unchecked")
	public static List<Map<String, Object>> items(EntityExchangeResult<Map<String, Object>> page) {
		return (List<Map<String, Object>>) page.getResponseBody().get("items");
	}

}
