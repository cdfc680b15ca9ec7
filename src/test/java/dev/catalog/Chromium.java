package dev.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real headless Chromium for browser tests: Debian's {@code chromium} driven through its
 * {@code chromedriver} by Selenium, both found on this machine (never downloaded: Selenium
 * Manager is not asked, since the driver's path is given). Where either is missing the tests
 * that need it are skipped, saying so. Other locations: {@code CHROMIUM_BINARY},
 * {@code CHROMEDRIVER}.
 */
public final class Chromium {

	/** Where the screenshots of every run land. */
	public static final Path SCREENSHOTS = Path.of("target", "screenshots");

	private static final Path BINARY = Path.of(env("CHROMIUM_BINARY", "/usr/bin/chromium"));

	private static final Path DRIVER = Path.of(env("CHROMEDRIVER", "/usr/bin/chromedriver"));

	private Chromium() {
	}

	/** Skips the calling test (class) unless Chromium and its driver are installed. */
	public static void assumeInstalled() {
		assumeTrue(Files.isExecutable(BINARY) && Files.isExecutable(DRIVER),
				"Browser tests skipped: no Chromium at " + BINARY + " with chromedriver at " + DRIVER
						+ " (apt-get install chromium chromium-driver; .ci/run does)");
	}

	/** A new headless browser, its window a desktop's size. Quit it when done. */
	public static ChromeDriver start() {
		return start(1280, 900);
	}

	public static ChromeDriver start(int width, int height) {
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile())
			.usingAnyFreePort()
			.build();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(BINARY.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-extensions", "--no-first-run", "--window-size=" + width + "," + height);
		return new ChromeDriver(service, options);
	}

	/** Waits up to {@code timeout} for {@code condition} to give something other than null or false. */
	public static <T> T await(WebDriver driver, Duration timeout, Function<WebDriver, T> condition) {
		return new WebDriverWait(driver, timeout, Duration.ofMillis(20)).until(condition::apply);
	}

	/** Saves what the browser shows as {@code target/screenshots/{name}.png}. */
	public static void screenshot(WebDriver driver, String name) {
		try {
			Files.createDirectories(SCREENSHOTS);
			Files.write(SCREENSHOTS.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String env(String name, String fallback) {
		String value = System.getenv(name);
		return (value == null || value.isBlank()) ? fallback : value;
	}

}
