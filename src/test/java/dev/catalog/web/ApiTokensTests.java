package dev.catalog.web;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class ApiTokensTests {

	@Test
	void configuredTokensAreAcceptedAndNothingElse() {
		ApiTokens tokens = ApiTokens.of(new ApiTokenProperties(List.of(" first ", "", "second")).apiTokens(), true);
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
	void propertiesSplitTrimAndDropBlanks() {
		assertThat(new ApiTokenProperties(List.of(" a", "b ", "  ")).apiTokens()).containsExactly("a", "b");
		assertThat(new ApiTokenProperties(null).apiTokens()).isEmpty();
	}

}
