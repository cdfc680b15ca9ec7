package dev.catalog.web;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Bearer tokens that authorise writes ({@code catalog.api-tokens}, env
 * {@code CATALOG_API_TOKENS}): comma-separated, blanks ignored. Unset on the embedded default
 * means one is generated at start and logged; unset against external servers means every
 * write is refused with 401.
 *
 * @param apiTokens the accepted tokens
 */
@ConfigurationProperties("catalog")
public record ApiTokenProperties(List<String> apiTokens) {

	public ApiTokenProperties {
		apiTokens = (apiTokens != null) ? apiTokens.stream().map(String::strip).filter((t) -> !t.isEmpty()).toList()
				: List.of();
	}

}
