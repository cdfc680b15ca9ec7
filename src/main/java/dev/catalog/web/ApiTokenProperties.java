package dev.catalog.web;

import java.nio.file.Path;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Bearer tokens that authorise writes ({@code catalog.api-tokens}, env
 * {@code CATALOG_API_TOKENS}): comma-separated, blanks ignored. Unset on the embedded default
 * means one is generated at start and logged; unset against external servers means every
 * write is refused with 401.
 *
 * @param apiTokens the accepted tokens
 * @param apiTokensFile a file of further tokens, one a line ({@code catalog.api-tokens-file}),
 * re-read when it changes so that tokens rotate without a restart (see {@link ApiTokens})
 */
@ConfigurationProperties("catalog")
public record ApiTokenProperties(List<String> apiTokens, @Nullable Path apiTokensFile) {

	public ApiTokenProperties {
		apiTokens = (apiTokens != null) ? apiTokens.stream().map(String::strip).filter((t) -> !t.isEmpty()).toList()
				: List.of();
	}

}
