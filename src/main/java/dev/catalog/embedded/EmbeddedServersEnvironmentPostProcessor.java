package dev.catalog.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Decides, before any bean exists, which PostgreSQL and Redis the service talks to.
 * <p>
 * With no PostgreSQL setting at all it starts the embedded PostgreSQL and points R2DBC and
 * Liquibase at it; with no Redis setting at all (no URL, host/port, cluster nodes or sentinel)
 * it starts the embedded Redis. Any setting means "use that server": an embedded server is never
 * started beside a configured one, and a configuration the service cannot use stops it here
 * ({@link ServerSettings}). With an external R2DBC URL it derives Liquibase's JDBC URL from it,
 * so the three {@code SPRING_R2DBC_*} variables are all an operator needs. The embedded default
 * also seeds a demo catalog of 1,000 artifacts; an external database is seeded only when asked.
 * <p>
 * A production build ({@code -Pprod}) leaves the embedded servers' binaries out; there, a side
 * with nothing configured stops the service with a message saying what to set.
 */
class EmbeddedServersEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

	static final String PROPERTY_SOURCE_NAME = "catalogServers";

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		ServerSettings settings = ServerSettings.of(environment);
		Map<String, Object> servers = new LinkedHashMap<>();
		Map<String, Object> defaults = new LinkedHashMap<>();
		boolean ephemeral = environment.getProperty("catalog.embedded.ephemeral", Boolean.class, false);
		if (!settings.postgresConfigured()) {
			requireEmbedded("io.zonky.test.db.postgres.embedded.EmbeddedPostgres", "PostgreSQL",
					"spring.r2dbc.url, spring.r2dbc.username and spring.r2dbc.password");
		}
		if (!settings.redisConfigured()) {
			requireEmbedded("redis.embedded.RedisServer", "Redis",
					"spring.data.redis.url (or .cluster.nodes, or .sentinel.master and .sentinel.nodes)");
		}
		Path dataDir = dataDir(environment, ephemeral);
		if (!settings.postgresConfigured()) {
			EmbeddedServers.Postgres postgres = EmbeddedServers.postgres(dataDir, ephemeral);
			servers.put("spring.r2dbc.url", postgres.r2dbcUrl());
			servers.put("spring.r2dbc.username", postgres.username());
			servers.put("spring.r2dbc.password", postgres.password());
			servers.put("spring.liquibase.url", postgres.jdbcUrl());
			servers.put("spring.liquibase.user", postgres.username());
			servers.put("spring.liquibase.password", postgres.password());
			defaults.put("catalog.seed.artifacts", 1000);
			defaults.put("catalog.embedded.active", true);
		}
		else if (!environment.containsProperty("spring.liquibase.url")) {
			servers.put("spring.liquibase.url", jdbcUrl(environment.getRequiredProperty("spring.r2dbc.url")));
			putIfPresent(environment, servers, "spring.r2dbc.username", "spring.liquibase.user");
			putIfPresent(environment, servers, "spring.r2dbc.password", "spring.liquibase.password");
		}
		if (!settings.redisConfigured()) {
			servers.put("spring.data.redis.url", EmbeddedServers.redis(dataDir).url());
		}
		environment.getPropertySources().addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, servers));
		environment.getPropertySources().addLast(new MapPropertySource(PROPERTY_SOURCE_NAME + "Defaults", defaults));
	}

	private static void requireEmbedded(String className, String server, String settings) {
		if (!ClassUtils.isPresent(className, EmbeddedServersEnvironmentPostProcessor.class.getClassLoader())) {
			throw new UnusableServerConfigurationException(
					"No " + server + " is configured, and this build carries no embedded " + server,
					"Set " + settings + ", or run a build with the embedded servers (without -Pprod)");
		}
	}

	private static Path dataDir(ConfigurableEnvironment environment, boolean ephemeral) {
		if (!ephemeral) {
			return Path.of(environment.getProperty("catalog.data-dir", "./data"));
		}
		try {
			return Files.createTempDirectory("catalog-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void putIfPresent(ConfigurableEnvironment environment, Map<String, Object> target, String from,
			String to) {
		String value = environment.getProperty(from);
		if (value != null) {
			target.put(to, value);
		}
	}

	/**
	 * {@code r2dbc:postgresql://user@host:5432/db?options} and the pooled
	 * {@code r2dbc:pool:postgresql://...} form become {@code jdbc:postgresql://host:5432/db}.
	 * Credentials come from the separate username and password properties.
	 */
	static String jdbcUrl(String r2dbcUrl) {
		String withoutScheme = r2dbcUrl.replaceFirst("^r2dbcs?:(pool:)?", "");
		URI uri = URI.create(withoutScheme);
		// the authority rather than getHost(), which is null for names URI finds invalid, such as
		// the underscores of Compose service names
		String authority = uri.getRawAuthority();
		if (authority == null || authority.isEmpty()) {
			throw new IllegalArgumentException("spring.r2dbc.url names no host: " + r2dbcUrl);
		}
		StringBuilder jdbc = new StringBuilder("jdbc:postgresql://")
			.append(authority.substring(authority.lastIndexOf('@') + 1));
		jdbc.append(uri.getPath() == null || uri.getPath().isEmpty() ? "/postgres" : uri.getPath());
		if (uri.getQuery() != null && uri.getQuery().contains("sslmode=")) {
			for (String option : uri.getQuery().split("&")) {
				if (option.startsWith("sslmode=")) {
					jdbc.append('?').append(option);
				}
			}
		}
		return jdbc.toString();
	}

}
