package dev.catalog.share;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.catalog.Statements;
import dev.catalog.TestCatalog;
import dev.catalog.TestClients;
import dev.catalog.TestInstances;
import dev.catalog.WriteIntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

@WriteIntegrationTest
class ShareIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	@Autowired
	private WebTestClient anonymous;

	@Autowired
	private TestCatalog catalog;

	private WebTestClient writer;

	@BeforeEach
	void reset() {
		this.catalog.reset();
		this.writer = TestClients.writer(this.anonymous);
	}

	@Test
	void aShareLinkIsCreatedListedAndRevokedWithTheBearerToken() {
		String collection = createCollection("Shared", "");

		EntityExchangeResult<byte[]> created = this.writer.post()
			.uri("/api/v1/collections/{id}/shares", collection)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectHeader()
			.contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.returnResult();
		JsonNode share = json.readTree(created.getResponseBody());
		String token = share.get("token").stringValue();
		assertThat(token).matches("[A-Za-z0-9_-]{43}");
		assertThat(share.get("url").stringValue()).isEqualTo("/s/" + token);
		assertThat(share.get("createdAt").stringValue()).isNotBlank();
		assertThat(created.getResponseHeaders().getLocation()).hasToString("/s/" + token);
		String second = createShare(collection);
		assertThat(second).isNotEqualTo(token);

		JsonNode listed = json.readTree(this.writer.get()
			.uri("/api/v1/collections/{id}/shares", collection)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.cacheControl(org.springframework.http.CacheControl.noStore())
			.expectBody()
			.returnResult()
			.getResponseBody());
		assertThat(listed.findValuesAsString("token")).containsExactlyInAnyOrder(token, second);

		this.writer.delete()
			.uri("/api/v1/collections/{id}/shares/{token}", collection, token)
			.exchange()
			.expectStatus()
			.isNoContent();
		this.writer.delete()
			.uri("/api/v1/collections/{id}/shares/{token}", collection, token)
			.exchange()
			.expectStatus()
			.isNotFound();
		JsonNode after = json.readTree(this.writer.get()
			.uri("/api/v1/collections/{id}/shares", collection)
			.exchange()
			.expectBody()
			.returnResult()
			.getResponseBody());
		assertThat(after.findValuesAsString("token")).containsExactly(second);
	}

	@Test
	void shareLinksNeedTheBearerTokenAndAnExistingCollection() {
		String collection = createCollection("Private", "");
		this.anonymous.post()
			.uri("/api/v1/collections/{id}/shares", collection)
			.exchange()
			.expectStatus()
			.isUnauthorized();
		this.anonymous.get()
			.uri("/api/v1/collections/{id}/shares", collection)
			.exchange()
			.expectStatus()
			.isUnauthorized()
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		this.anonymous.get()
			.uri("/api/v1/collections/{id}/shares", collection)
			.header(HttpHeaders.AUTHORIZATION, "Bearer wrong")
			.exchange()
			.expectStatus()
			.isUnauthorized();
		String token = createShare(collection);
		this.anonymous.delete()
			.uri("/api/v1/collections/{id}/shares/{token}", collection, token)
			.exchange()
			.expectStatus()
			.isUnauthorized();
		String unknown = "00000000-0000-0000-0000-000000000001";
		this.writer.post().uri("/api/v1/collections/{id}/shares", unknown).exchange().expectStatus().isNotFound();
		this.writer.get().uri("/api/v1/collections/{id}/shares", unknown).exchange().expectStatus().isNotFound();
		this.writer.post().uri("/api/v1/collections/not-a-uuid/shares").exchange().expectStatus().isBadRequest();
		assertThat(this.catalog.count("SELECT count(*) FROM collection_shares")).isEqualTo(1);
	}

	@Test
	void theSharePageShowsTheCollectionWithLinkPreviewTagsAndEscapesUserText() {
		String collection = createCollection("<script>alert('name')</script> & \"friends\"",
				"Tools <b>we</b> like");
		List<String> members = new ArrayList<>();
		for (int i = 0; i < 55; i++) {
			// in every description: the page shows 50 of the 55, and which 50 depends on random ids
			members.add(createArtifact("tool-" + i, "does " + i + " <img src=x onerror=alert(1)>"));
		}
		this.writer.post()
			.uri("/api/v1/collections/{id}/memberships", collection)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("add", members))
			.exchange()
			.expectStatus()
			.isOk();
		String token = createShare(collection);

		EntityExchangeResult<String> page = this.anonymous.get()
			.uri("/s/{token}", token)
			.accept(MediaType.TEXT_HTML)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.contentType("text/html;charset=UTF-8")
			.expectBody(String.class)
			.returnResult();
		String html = page.getResponseBody();
		assertThat(page.getResponseHeaders().getFirst("Content-Security-Policy")).startsWith("default-src 'none'")
			.doesNotContain("script-src");
		assertThat(page.getResponseHeaders().getETag()).isNotNull();
		assertThat(html).doesNotContain("<script", "<b>", "<img")
			.contains("<meta property=\"og:title\" content=\"&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt; &amp; &quot;friends&quot;\">")
			.contains("<meta name=\"twitter:card\" content=\"summary\">")
			.contains("<meta property=\"og:url\" content=\"http://localhost:")
			.contains("Tools &lt;b&gt;we&lt;/b&gt; like")
			.contains("&lt;img src=x onerror=alert(1)&gt;")
			.contains("55 artifacts");
		// the 50 most recently added of 55, newest first (one batch: same time, ties by id)
		assertThat(html.split("<li>", -1)).hasSize(51);
	}

	@Test
	void aSharePageHitIsBytesFromRedisWithoutSql() {
		String collection = createCollection("Hot", "shared everywhere");
		String token = createShare(collection);
		this.anonymous.get().uri("/s/{token}", token).exchange().expectHeader().valueEquals("X-Cache", "MISS");
		Map<String, Long> before = this.catalog.redisCommands();

		EntityExchangeResult<String> hit = this.anonymous.get()
			.uri("/s/{token}", token)
			.exchange()
			.expectStatus()
			.isOk()
			.expectHeader()
			.valueEquals("X-Cache", "HIT")
			.expectBody(String.class)
			.returnResult();

		assertThat(Statements.of(hit)).isZero();
		assertThat(hit.getResponseBody()).contains("<h1>Hot</h1>");
		Map<String, Long> after = this.catalog.redisCommands();
		long commands = after.entrySet()
			.stream()
			.mapToLong((entry) -> entry.getValue() - before.getOrDefault(entry.getKey(), 0L))
			.sum();
		assertThat(commands).as("Redis commands of one hit: %s then %s", before, after).isEqualTo(1);
		String etag = hit.getResponseHeaders().getETag();
		this.anonymous.get().uri("/s/{token}", token).ifNoneMatch(etag).exchange().expectStatus().isNotModified();
	}

	@Test
	void aLinkThatDoesNotExistIsTheHtmlNotFoundPageWithoutSql() {
		for (String token : List.of("short", "A".repeat(43))) {
			EntityExchangeResult<String> missing = this.anonymous.get()
				.uri("/s/{token}", token)
				.exchange()
				.expectStatus()
				.isNotFound()
				.expectHeader()
				.contentType("text/html;charset=UTF-8")
				.expectBody(String.class)
				.returnResult();
			assertThat(missing.getResponseBody()).contains("Link not found");
			assertThat(missing.getResponseHeaders().getFirst("Content-Security-Policy")).startsWith("default-src 'none'");
		}
	}

	@Test
	void aRevokedLinkIsGoneOnEveryInstanceAtOnce() {
		String collection = createCollection("Soon private", "");
		String token = createShare(collection);
		try (ConfigurableApplicationContext other = TestInstances.start()) {
			WebTestClient second = WebTestClient.bindToServer()
				.baseUrl("http://localhost:" + TestInstances.port(other))
				.build();
			for (WebTestClient instance : List.of(this.anonymous, second, this.anonymous, second)) {
				instance.get().uri("/s/{token}", token).exchange().expectStatus().isOk();
			}
			second.get().uri("/s/{token}", token).exchange().expectHeader().valueEquals("X-Cache", "HIT");

			this.writer.delete()
				.uri("/api/v1/collections/{id}/shares/{token}", collection, token)
				.exchange()
				.expectStatus()
				.isNoContent();

			for (WebTestClient instance : List.of(second, this.anonymous)) {
				instance.get()
					.uri("/s/{token}", token)
					.exchange()
					.expectStatus()
					.isNotFound()
					.expectBody(String.class)
					.value((html) -> assertThat(html).contains("Link not found").doesNotContain("Soon private"));
			}
		}
	}

	@Test
	void deletingTheCollectionDeletesItsLinks() {
		String collection = createCollection("Gone", "");
		String token = createShare(collection);
		this.anonymous.get().uri("/s/{token}", token).exchange().expectStatus().isOk();
		this.writer.delete().uri("/api/v1/collections/{id}", collection).exchange().expectStatus().isNoContent();
		this.anonymous.get().uri("/s/{token}", token).exchange().expectStatus().isNotFound();
		assertThat(this.catalog.count("SELECT count(*) FROM collection_shares")).isZero();
	}

	private String createCollection(String name, String description) {
		return json.readTree(this.writer.post()
			.uri("/api/v1/collections")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", name, "description", description))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.returnResult()
			.getResponseBody()).get("id").stringValue();
	}

	private String createArtifact(String name, String description) {
		return json.readTree(this.writer.post()
			.uri("/api/v1/artifacts")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", name, "type", "skill", "description", description))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.returnResult()
			.getResponseBody()).get("id").stringValue();
	}

	private String createShare(String collection) {
		return json.readTree(this.writer.post()
			.uri("/api/v1/collections/{id}/shares", collection)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.returnResult()
			.getResponseBody()).get("token").stringValue();
	}

}
