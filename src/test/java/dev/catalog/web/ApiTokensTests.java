package dev.catalog.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@ExtendWith(OutputCaptureExtension.class)
class ApiTokensTests {

	@Test
	void configuredTokensAreAcceptedAndNothingElse() {
		ApiTokens tokens = ApiTokens.of(new ApiTokenProperties(List.of(" first ", "", "second"), null).apiTokens(), true);
		assertThat(tokens.configured()).isTrue();
		assertThat(tokens.accepts("first")).isTrue();
		assertThat(tokens.accepts("second")).isTrue();
		assertThat(tokens.accepts("firs")).isFalse();
		assertThat(tokens.accepts("first ")).isFalse();
		assertThat(tokens.accepts("")).isFalse();
	}

	@Test
	void embeddedDefaultGeneratesOneTokenAndLogsItOnce(CapturedOutput output) {
		ApiTokens tokens = ApiTokens.of(List.of(), true);
		Matcher logged = Pattern.compile("Using generated API token: (\\S+)").matcher(output.getAll());
		assertThat(logged.find()).isTrue();
		String token = logged.group(1);
		assertThat(logged.find()).as("logged once").isFalse();
		assertThat(token).hasSizeGreaterThanOrEqualTo(40);
		assertThat(tokens.accepts(token)).isTrue();
		assertThat(ApiTokens.of(List.of(), true).accepts(token)).as("a new one each start").isFalse();
	}

	@Test
	void withoutTokensOutsideTheEmbeddedDefaultNoWriteIsAuthorised(CapturedOutput output) {
		ApiTokens tokens = ApiTokens.of(List.of(), false);
		assertThat(tokens.configured()).isFalse();
		assertThat(tokens.accepts("")).isFalse();
		assertThat(tokens.accepts("anything")).isFalse();
		assertThat(output.getAll()).contains("every write will be refused").doesNotContain("generated API token");
	}

	@Test
	void tokensOfTheFileAreReadAgainWhenItChangesWithoutARestart(@TempDir Path dir) throws Exception {
		Path file = dir.resolve("tokens");
		Files.writeString(file, "# rotated weekly\nold-token\n\n");
		ApiTokens tokens = ApiTokens.of(List.of("fixed"), file, true);
		assertThat(tokens.accepts("old-token")).isTrue();
		assertThat(tokens.accepts("fixed")).isTrue();
		assertThat(tokens.accepts("# rotated weekly")).as("comments are no tokens").isFalse();
		// rotation: a new file renamed over the old one, as an operator (or a secret mount) does
		Path next = dir.resolve("tokens.next");
		Files.writeString(next, "new-token-longer\n");
		Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		await().atMost(Duration.ofSeconds(5)).until(() -> tokens.accepts("new-token-longer"));
		assertThat(tokens.accepts("old-token")).isFalse();
		assertThat(tokens.accepts("fixed")).as("configured tokens stay").isTrue();
		Files.delete(file);
		await().atMost(Duration.ofSeconds(5)).until(() -> !tokens.accepts("new-token-longer"));
		assertThat(tokens.configured()).isTrue();
	}

	@Test
	void aTokenFileAloneConfiguresWritesAndNoTokenIsGenerated(@TempDir Path dir, CapturedOutput output)
			throws Exception {
		Path file = dir.resolve("tokens");
		Files.writeString(file, "only-token\n");
		ApiTokens tokens = ApiTokens.of(List.of(), file, true);
		assertThat(tokens.configured()).isTrue();
		assertThat(tokens.accepts("only-token")).isTrue();
		assertThat(output.getAll()).doesNotContain("generated API token");
	}

	@Test
	void propertiesSplitTrimAndDropBlanks() {
		assertThat(new ApiTokenProperties(List.of(" a", "b ", "  "), null).apiTokens()).containsExactly("a", "b");
		assertThat(new ApiTokenProperties(null, null).apiTokens()).isEmpty();
	}

}
