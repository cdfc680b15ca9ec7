package dev.catalog.web;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which browser pages on other origins may use the API ({@code catalog.cors.*}).
 *
 * @param allowedOrigins origins ({@code scheme://host[:port]}, no path; comma-separated in one
 * property) whose pages may read and write: GET and HEAD, and with a bearer token POST, PATCH,
 * PUT and DELETE. {@code *} lets a page of any other origin read (GET, HEAD), never write.
 * Empty, the default: same origin only, and no CORS headers at all. {@code null} (the origin of
 * sandboxed and local documents) and wildcards inside an origin are refused.
 * @param maxAge how long a browser may reuse a preflight's answer ({@code Access-Control-Max-Age})
 */
@ConfigurationProperties("catalog.cors")
record CorsProperties(@DefaultValue List<String> allowedOrigins, @DefaultValue("1h") Duration maxAge) {

	static final String ANY = "*";

	private static final Pattern ORIGIN = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://[^/?#@*\\s]+");

	CorsProperties {
		allowedOrigins = allowedOrigins.stream()
			.map(String::strip)
			.filter((origin) -> !origin.isEmpty())
			// a browser's Origin never ends with one; an operator's copy of a URL may
			.map((origin) -> origin.endsWith("/") ? origin.substring(0, origin.length() - 1) : origin)
			.toList();
		for (String origin : allowedOrigins) {
			if (!ANY.equals(origin) && !ORIGIN.matcher(origin).matches()) {
				throw new IllegalArgumentException("catalog.cors.allowed-origins: '" + origin
						+ "' is neither an origin (scheme://host[:port], no path) nor *");
			}
		}
		if (maxAge.isNegative()) {
			throw new IllegalArgumentException("catalog.cors.max-age must not be negative, not " + maxAge);
		}
	}

	/** The origins listed by name: they may read and write. */
	List<String> listedOrigins() {
		return this.allowedOrigins.stream().filter((origin) -> !ANY.equals(origin)).toList();
	}

	/** Whether a page of any origin may read. */
	boolean anyOriginReads() {
		return this.allowedOrigins.contains(ANY);
	}

}
