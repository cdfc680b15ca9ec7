package dev.catalog.page;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.catalog.Chromium;
import dev.catalog.TestCatalog;
import dev.catalog.TestClients;
import dev.catalog.TestInstances;
import dev.catalog.WriteIntegrationTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog page following the change feed in a real headless Chromium: writes made through
 * the API show in an open page within a second, whichever instance serves its stream, and
 * writes made while its connection is down arrive once it is back (EventSource resumes with
 * {@code Last-Event-ID}). Skipped where no Chromium is installed.
 */
@WriteIntegrationTest
class LiveCatalogPageBrowserIntegrationTests {

	private static final Logger logger = LoggerFactory.getLogger(LiveCatalogPageBrowserIntegrationTests.class);

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static final JsonMapper json = JsonMapper.builder().build();

	private static ConfigurableApplicationContext second;

	private static ChromeDriver browser;

	@LocalServerPort
	private int port;

	@Autowired
	private WebTestClient anonymous;

	@Autowired
	private TestCatalog catalog;

	private WebTestClient writer;

	@BeforeAll
	static void start() {
		Chromium.assumeInstalled();
		second = TestInstances.start();
		browser = Chromium.start();
	}

	@AfterAll
	static void stop() {
		if (browser != null) {
			browser.quit();
		}
		if (second != null) {
			second.close();
		}
	}

	@BeforeEach
	void seed() {
		this.catalog.reset();
		this.catalog.seed(60, 3);
		this.writer = TestClients.writer(this.anonymous);
	}

	@AfterEach
	void leavePage() {
		browser.get("about:blank");
	}

	@Test
	void anArtifactCreatedThroughTheApiAppearsInAnOpenPageWithinOneSecondAndVanishesWhenDeleted() {
		openLive("http://localhost:" + this.port + "/");
		appearsWithinOneSecond("live-same-instance");
		Chromium.screenshot(browser, "catalog-live");
	}

	@Test
	void anArtifactCreatedOnOneInstanceAppearsWithinOneSecondInAPageWhoseStreamAnotherServes() {
		openLive("http://localhost:" + TestInstances.port(second) + "/");
		appearsWithinOneSecond("live-other-instance");
	}

	@Test
	void afterTheStreamsConnectionIsCutWritesMadeMeanwhileStillArrive() {
		try (CuttableProxy proxy = CuttableProxy.to(this.port)) {
			openLive(proxy.origin() + "/");
			String run = browser.findElement(By.tagName("body")).getDomAttribute("data-ready");
			String doomed = shownIds().get(3);

			proxy.cut();
			Chromium.await(browser, WAIT, (driver) -> !"open".equals(live()));
			List<String> created = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				created.add(create("written-while-cut-" + i));
			}
			this.writer.delete().uri("/api/v1/artifacts/{id}", doomed).exchange().expectStatus().isNoContent();
			proxy.resume();

			Chromium.await(browser, WAIT, (driver) -> shownIds().containsAll(created) && !shownIds().contains(doomed));
			assertThat(shownIds().subList(0, 3)).containsExactlyInAnyOrderElementsOf(created);
			assertThat(live()).isEqualTo("open");
			// the changes came from the resumed feed, not from loading the list again
			assertThat(browser.findElement(By.tagName("body")).getDomAttribute("data-ready")).isEqualTo(run);
			Chromium.await(browser, WAIT, (driver) -> text("total").equals("62"));
		}
	}

	private void appearsWithinOneSecond(String name) {
		assertThat(text("total")).isEqualTo("60");
		// the first write after start-up also pays for compiling the path: not what is measured
		String warmUp = create(name + "-warm-up");
		Chromium.await(browser, WAIT, (driver) -> shownIds().contains(warmUp));
		this.writer.delete().uri("/api/v1/artifacts/{id}", warmUp).exchange().expectStatus().isNoContent();
		Chromium.await(browser, WAIT, (driver) -> !shownIds().contains(warmUp) && text("total").equals("60"));

		long started = System.nanoTime();
		String id = create(name);
		Chromium.await(browser, Duration.ofSeconds(1), (driver) -> shownIds().contains(id));
		logger.info("{}: created through the API, shown in the page {} ms after the request was sent", name,
				(System.nanoTime() - started) / 1_000_000);
		assertThat(shownIds().get(0)).isEqualTo(id);
		Chromium.await(browser, WAIT, (driver) -> text("total").equals("61"));

		this.writer.delete().uri("/api/v1/artifacts/{id}", id).exchange().expectStatus().isNoContent();
		Chromium.await(browser, Duration.ofSeconds(1), (driver) -> !shownIds().contains(id));
		Chromium.await(browser, WAIT, (driver) -> text("total").equals("60"));
	}

	private void openLive(String url) {
		browser.get(url);
		Chromium.await(browser, WAIT, (driver) -> "open".equals(live()) && shownIds().size() == 50);
	}

	private String create(String name) {
		return json.readTree(this.writer.post()
			.uri("/api/v1/artifacts")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("name", name, "type", "agent", "description", "made by a browser test"))
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.returnResult()
			.getResponseBody()).get("id").stringValue();
	}

	private String live() {
		return (String) script("return document.body.dataset.live ?? null");
	}

	@SuppressWarnings("unchecked")
	private List<String> shownIds() {
		return (List<String>) script("return [...document.querySelectorAll('#list li.artifact')].map((li) => li.dataset.id)");
	}

	private String text(String id) {
		return (String) script("return document.getElementById(arguments[0]).textContent", id);
	}

	private Object script(String script, Object... arguments) {
		return ((JavascriptExecutor) browser).executeScript(script, arguments);
	}

}
