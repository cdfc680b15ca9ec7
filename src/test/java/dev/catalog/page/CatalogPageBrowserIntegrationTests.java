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
import org.openqa.selenium.Keys;
import org.openqa.selenium.chrome.ChromeDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog page in a real headless Chromium, against the whole service on real PostgreSQL
 * and Redis. Each test leaves screenshots of what it saw in {@code target/screenshots/}.
 * Skipped where no Chromium is installed ({@link Chromium#assumeInstalled()}).
 */
@WriteIntegrationTest
class CatalogPageBrowserIntegrationTests {

	private static final Logger logger = LoggerFactory.getLogger(CatalogPageBrowserIntegrationTests.class);

	private static final Duration WAIT = Duration.ofSeconds(15);

	private static StaticServer elsewhere;

	private static ConfigurableApplicationContext second;

	private static ChromeDriver browser;

	@LocalServerPort
	private int port;

	@Autowired
	private WebTestClient anonymous;

	@Autowired
	private TestCatalog catalog;

	@BeforeAll
	static void startBrowserAndOtherServers() {
		Chromium.assumeInstalled();
		elsewhere = StaticServer.start();
		// a second instance of the service whose API pages of the static server's origin may use
		second = TestInstances.start("--catalog.cors.allowed-origins=" + elsewhere.origin());
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
		if (elsewhere != null) {
			elsewhere.close();
		}
	}

	@BeforeEach
	void seed() {
		this.catalog.reset();
		this.catalog.seed(130, 6);
	}

	@AfterEach
	void leavePage() {
		browser.get("about:blank");
	}

	@Test
	void thePageShowsTheFirstFiftyArtifactsAndScrollingLoadsTheRestWithoutDuplicatesOrGaps() {
		List<String> expected = allIdsInListOrder();
		assertThat(expected).hasSize(130);

		open("http://localhost:" + this.port + "/");
		assertThat(shownIds()).containsExactlyElementsOf(expected.subList(0, 50));
		assertThat(text("total")).isEqualTo("130");
		logMeasurements("cold");
		Chromium.screenshot(browser, "catalog");
		open("http://localhost:" + this.port + "/");
		logMeasurements("again");
		assertThat(shownIds()).containsExactlyElementsOf(expected.subList(0, 50));

		scrollToEnd();
		Chromium.await(browser, WAIT, (driver) -> shownIds().size() >= 100);
		assertThat(shownIds()).containsExactlyElementsOf(expected.subList(0, 100));
		scrollToEnd();
		Chromium.await(browser, WAIT, (driver) -> text("more").equals("End of the list."));
		assertThat(shownIds()).containsExactlyElementsOf(expected);
		Chromium.screenshot(browser, "catalog-scrolled");
	}

	@Test
	void thePageIsUsableAtPhoneWidth() {
		browser.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
		try {
			open("http://localhost:" + this.port + "/");
			long pageWidth = ((Number) script("return document.documentElement.scrollWidth")).longValue();
			long viewport = ((Number) script("return window.innerWidth")).longValue();
			assertThat(pageWidth).as("no horizontal scrolling").isLessThanOrEqualTo(viewport);
			assertThat(shownIds()).hasSize(50);
			Chromium.screenshot(browser, "catalog-phone");
		}
		finally {
			browser.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
		}
	}

	@Test
	void choosingAFilterShowsItsCountAndTheMatchingList() {
		Map<String, Object> facets = TestClients.page(this.anonymous, "/api/v1/artifacts/facets").getResponseBody();
		@SuppressWarnings("unchecked")
		long skills = ((Number) ((Map<String, Object>) facets.get("types")).get("skill")).longValue();
		assertThat(skills).isBetween(1L, 49L);
		open("http://localhost:" + this.port + "/");
		assertThat(text("type-count-skill")).isEqualTo("(" + skills + ")");

		browser.findElement(By.id("type-skill")).click();

		Chromium.await(browser, WAIT, (driver) -> text("total").equals(Long.toString(skills))
				&& shownIds().size() == skills);
		@SuppressWarnings("unchecked")
		List<String> types = (List<String>) script(
				"return [...document.querySelectorAll('#list .type')].map((type) => type.textContent)");
		assertThat(types).hasSize((int) skills).containsOnly("skill");
		assertThat(shownIds()).containsExactlyElementsOf(idsOf("/api/v1/artifacts?type=skill&limit=200"));
		Chromium.screenshot(browser, "catalog-filtered");

		String name = browser.findElement(By.cssSelector("#list li a")).getText();
		browser.findElement(By.cssSelector("#list li a")).click();
		Chromium.await(browser, WAIT, (driver) -> browser.findElement(By.id("detail")).isDisplayed());
		assertThat(text("detail-name")).isEqualTo(name);
		assertThat(text("detail-type")).isEqualTo("skill");
		Chromium.screenshot(browser, "artifact-detail");
	}

	@Test
	void thePageIsUsableFromTheKeyboard() {
		open("http://localhost:" + this.port + "/");
		org.openqa.selenium.WebElement body = browser.findElement(By.tagName("body"));
		body.sendKeys(Keys.TAB);
		assertThat(browser.switchTo().activeElement().getText()).isEqualTo("Skip to the list");
		browser.switchTo().activeElement().sendKeys(Keys.ENTER);
		browser.switchTo().activeElement().sendKeys(Keys.TAB);
		String first = shownIds().get(0);
		assertThat(browser.switchTo().activeElement().getDomAttribute("href")).isEqualTo("#/artifacts/" + first);

		browser.switchTo().activeElement().sendKeys(Keys.ENTER);
		Chromium.await(browser, WAIT, (driver) -> "detail-name".equals(browser.switchTo().activeElement().getDomAttribute("id")));
		assertThat(browser.findElement(By.id("detail")).isDisplayed()).isTrue();
		browser.switchTo().activeElement().sendKeys(Keys.ESCAPE);
		Chromium.await(browser, WAIT, (driver) -> !browser.findElement(By.id("detail")).isDisplayed());

		browser.findElement(By.id("q")).sendKeys("calm");
		Map<String, Object> facets = TestClients.page(this.anonymous, "/api/v1/artifacts/facets?q=calm").getResponseBody();
		String total = String.valueOf(facets.get("total"));
		Chromium.await(browser, WAIT, (driver) -> text("total").equals(total) && shownIds().size() == Integer.parseInt(total));
		assertThat(shownIds()).containsExactlyElementsOf(idsOf("/api/v1/artifacts?q=calm&limit=200"));
	}

	@Test
	void aPageOfAnotherOriginReadsTheApiThroughCors() {
		String api = "http://localhost:" + TestInstances.port(second);
		open(elsewhere.origin() + "/?api=" + api);

		assertThat(shownIds()).containsExactlyElementsOf(allIdsInListOrder().subList(0, 50));
		assertThat(text("total")).isEqualTo("130");
		assertThat(text("status")).contains("X-Cache: ").contains("Server-Timing: db;dur=");
	}

	/**
	 * For the notes: when the first 50 were on screen, and the bytes of every file and answer the
	 * page loaded (Resource Timing: on the wire, body as sent, body decoded).
	 */
	private void logMeasurements(String run) {
		logger.info("{}: first 50 artifacts rendered {} ms after navigation start; loaded (name transfer/encoded/decoded bytes): {}",
				run, script("return performance.getEntriesByName('first-page-rendered')[0].startTime"),
				script("""
						return [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
						  .map((e) => `${new URL(e.name).pathname} ${e.transferSize}/${e.encodedBodySize}/${e.decodedBodySize}`)
						  .join('; ')"""));
	}

	private void open(String url) {
		browser.get(url);
		Chromium.await(browser, WAIT, (driver) -> "false".equals(browser.findElement(By.id("list")).getDomAttribute("aria-busy"))
				&& !browser.findElements(By.cssSelector("#list li.artifact")).isEmpty());
	}

	/** Read in one script: the list may be replaced between two WebDriver calls. */
	@SuppressWarnings("unchecked")
	private List<String> shownIds() {
		return (List<String>) script("return [...document.querySelectorAll('#list li.artifact')].map((li) => li.dataset.id)");
	}

	private String text(String id) {
		return browser.findElement(By.id(id)).getText();
	}

	private Object script(String script) {
		return ((JavascriptExecutor) browser).executeScript(script);
	}

	private void scrollToEnd() {
		script("document.getElementById('more').scrollIntoView()");
	}

	/** Every artifact's id in the list's order, read through the API page by page. */
	private List<String> allIdsInListOrder() {
		return idsOf("/api/v1/artifacts?limit=200");
	}

	private List<String> idsOf(String uri) {
		EntityExchangeResult<Map<String, Object>> page = TestClients.page(this.anonymous, uri);
		assertThat(page.getResponseBody().get("nextCursor")).isNull();
		List<String> ids = new ArrayList<>();
		for (Map<String, Object> item : TestClients.items(page)) {
			ids.add((String) item.get("id"));
		}
		return ids;
	}

}
