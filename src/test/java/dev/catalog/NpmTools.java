package dev.catalog;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The npm tools the contract tests run (Stoplight Spectral and Prism), installed on first use
 * into {@code target/npm} with npm, at pinned versions. A test that needs them is skipped, with
 * a message saying so, where {@code node} or {@code npm} is missing; on CI ({@code CI=true},
 * where {@code .ci/run} installs them) it fails instead.
 */
public final class NpmTools {

	public static final String SPECTRAL = "@stoplight/spectral-cli@6.16.3";

	/** 5.14.x runs on Node 20. */
	public static final String PRISM = "@stoplight/prism-cli@5.14.2";

	private static final Path PREFIX = Path.of("target", "npm").toAbsolutePath();

	private NpmTools() {
	}

	/** The path of the tool's executable, installed if need be; skips the test where npm is missing. */
	public static synchronized Path bin(String name) throws IOException, InterruptedException {
		boolean present = works("node", "--version") && works("npm", "--version");
		if (!present && "true".equals(System.getenv("CI"))) {
			// CI (.ci/run) installs them: a skipped contract test there would hide a missing install step
			throw new IllegalStateException("node and npm are missing on CI; .ci/run should have installed them");
		}
		assumeTrue(present,
				"node and npm are needed for the contract tests (Spectral, Prism): install Node.js 20 and npm to run them");
		Path bin = PREFIX.resolve("node_modules/.bin").resolve(name);
		if (!Files.isExecutable(bin)) {
			Files.createDirectories(PREFIX);
			Process install = new ProcessBuilder("npm", "install", "--prefix", PREFIX.toString(), "--no-audit",
					"--no-fund", "--loglevel=error", SPECTRAL, PRISM)
				.redirectErrorStream(true)
				.redirectOutput(PREFIX.resolve("install.log").toFile())
				.start();
			if (!install.waitFor(10, TimeUnit.MINUTES) || install.exitValue() != 0) {
				install.destroyForcibly();
				throw new IllegalStateException("npm install of " + SPECTRAL + " and " + PRISM + " failed: "
						+ Files.readString(PREFIX.resolve("install.log")));
			}
		}
		return bin;
	}

	private static boolean works(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			process.getInputStream().readAllBytes();
			return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
		}
		catch (IOException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/** Runs a command to its end (at most {@code timeout}) and returns its standard output. */
	public static String run(Duration timeout, Path directory, String... command)
			throws IOException, InterruptedException {
		List<String> line = new ArrayList<>(List.of(command));
		Process process = new ProcessBuilder(line).directory(directory.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
		byte[] out = process.getInputStream().readAllBytes();
		if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException(String.join(" ", command) + " did not end within " + timeout);
		}
		return new String(out, java.nio.charset.StandardCharsets.UTF_8);
	}

}
