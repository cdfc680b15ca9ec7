package dev.catalog.share;

import java.util.Map;

import dev.catalog.Chromium;
import dev.catalog.TestCatalog;
import dev.catalog.TestClients;
import dev.catalog.WriteIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A share page as a browser (and a link preview crawler reading its meta tags) sees it, before
 * and after its link is revoked. Skipped where no Chromium is installed.
 */
@WriteIntegrationTest
class SharePageBrowserIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static ChromeDriver browser;

	@LocalServerPort
	private int port;

	@Autowired
	private WebTestClient anonymous;

	@Autowired
	private TestCatalog catalog;

	@BeforeAll
	static void startBrowser() {
		Chromium.assumeInstalled();
		browser = Chromium.start(420, 800);
	}

	@AfterAll
	static void stopBrowser() {
		if (browser != null) {
			browser.quit();
		}
	}

	@BeforeEach
	void seed() {
		this.catalog.reset();
		this.catalog.seed(120, 3);
	}

	@Test
	void aSharePageCarriesItsOpenGraphTitleAndARevokedLinkShowsTheNotFoundPage() {
		WebTestClient writer = TestClients.writer(this.anonymous);
		Map<String, Object> collection = TestClients.items(TestClients.page(this.anonymous, "/api/v1/collections")).get(0);
		String id = (String) collection.get("id");
		String token = json.readTree(writer.post()
			.uri("/api/v1/collections/{id}/shares", id)
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.returnResult()
			.getResponseBody()).get("token").stringValue();

		browser.get("http://localhost:" + this.port + "/s/" + token);

		assertThat(browser.findElement(By.cssSelector("meta[property='og:title']")).getDomAttribute("content"))
			.isEqualTo(collection.get("name"));
		assertThat(browser.getTitle()).startsWith((String) collection.get("name"));
		assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo(collection.get("name"));
		long count = ((Number) collection.get("artifactCount")).longValue();
		assertThat(browser.findElement(By.id("count")).getText()).isEqualTo(count + " artifacts");
		assertThat(browser.findElements(By.cssSelector("#members li"))).hasSize((int) Math.min(50, count));
		Chromium.screenshot(browser, "share-page");

		writer.delete()
			.uri("/api/v1/collections/{id}/shares/{token}", id, token)
			.exchange()
			.expectStatus()
			.isNoContent();
		browser.navigate().refresh();

		assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Link not found");
		assertThat(browser.findElements(By.cssSelector("meta[property='og:title']"))).isEmpty();
		Chromium.screenshot(browser, "share-page-revoked");
		this.anonymous.get()
			.uri("/s/{token}", token)
			.accept(MediaType.TEXT_HTML)
			.exchange()
			.expectStatus()
			.isNotFound();
	}

}
