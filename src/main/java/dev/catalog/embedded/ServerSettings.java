package dev.catalog.embedded;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Which servers the configuration names, checked before anything starts: any PostgreSQL or
 * Redis setting means "use that server", so an embedded server is started only for a side that
 * has no setting at all; a configuration the service cannot use is refused with
 * {@link UnusableServerConfigurationException} rather than half-used.
 *
 * @param postgresConfigured some {@code spring.r2dbc.*} connection or {@code spring.liquibase.*}
 * setting is present (and {@code spring.r2dbc.url} with it)
 * @param redisConfigured some {@code spring.data.redis.*} setting is present (and a usable
 * place: a URL, host/port, cluster nodes or a sentinel master with its nodes)
 */
record ServerSettings(boolean postgresConfigured, boolean redisConfigured) {

	/** Settings that only make sense for a PostgreSQL the operator runs. */
	static final List<String> POSTGRES = List.of("spring.r2dbc.url", "spring.r2dbc.username", "spring.r2dbc.password",
			"spring.r2dbc.name", "spring.liquibase.url", "spring.liquibase.user", "spring.liquibase.password");

	/** Settings that only make sense for a Redis the operator runs. */
	static final List<String> REDIS = List.of("spring.data.redis.url", "spring.data.redis.host",
			"spring.data.redis.port", "spring.data.redis.username", "spring.data.redis.password",
			"spring.data.redis.database", "spring.data.redis.ssl.enabled", "spring.data.redis.cluster.nodes",
			"spring.data.redis.sentinel.master", "spring.data.redis.sentinel.nodes",
			"spring.data.redis.sentinel.username", "spring.data.redis.sentinel.password");

	private static final Set<String> REDIS_SCHEMES = Set.of("redis", "rediss");

	/** Reads and checks the environment; throws if it names servers the service cannot use. */
	static ServerSettings of(ConfigurableEnvironment environment) {
		Binder binder = Binder.get(environment);
		List<String> postgres = present(environment, binder, POSTGRES);
		List<String> redis = present(environment, binder, REDIS);
		if (!postgres.isEmpty()) {
			checkPostgres(environment, postgres);
		}
		if (!redis.isEmpty()) {
			checkRedis(environment, binder, redis);
		}
		return new ServerSettings(!postgres.isEmpty(), !redis.isEmpty());
	}

	private static List<String> present(ConfigurableEnvironment environment, Binder binder, List<String> names) {
		List<String> present = new ArrayList<>();
		for (String name : names) {
			// lists also come indexed from YAML (nodes[0]), which containsProperty does not see
			if (environment.containsProperty(name) || !list(binder, name).isEmpty()) {
				present.add(name);
			}
		}
		return present;
	}

	private static List<String> list(Binder binder, String name) {
		return binder.bind(name, Bindable.listOf(String.class)).orElse(List.of());
	}

	private static void checkPostgres(ConfigurableEnvironment environment, List<String> present) {
		String url = environment.getProperty("spring.r2dbc.url");
		if (url == null || url.isBlank()) {
			throw new UnusableServerConfigurationException(present + " set, but spring.r2dbc.url is not",
					"Set spring.r2dbc.url (SPRING_R2DBC_URL), e.g. r2dbc:postgresql://db:5432/catalog, or remove "
							+ present + " to run on the embedded PostgreSQL");
		}
		try {
			EmbeddedServersEnvironmentPostProcessor.jdbcUrl(url);
		}
		catch (IllegalArgumentException ex) {
			throw new UnusableServerConfigurationException(
					"spring.r2dbc.url is not a PostgreSQL R2DBC URL: " + url + " (" + ex.getMessage() + ")",
					"Use the form r2dbc:postgresql://host:5432/database");
		}
		if (!url.matches("^r2dbcs?:(pool:)?postgres(ql)?://.*")) {
			throw new UnusableServerConfigurationException("spring.r2dbc.url is not a PostgreSQL R2DBC URL: " + url,
					"Use the form r2dbc:postgresql://host:5432/database");
		}
	}

	private static void checkRedis(ConfigurableEnvironment environment, Binder binder, List<String> present) {
		boolean url = present.contains("spring.data.redis.url");
		boolean hostPort = present.contains("spring.data.redis.host") || present.contains("spring.data.redis.port");
		List<String> clusterNodes = list(binder, "spring.data.redis.cluster.nodes");
		List<String> sentinelNodes = list(binder, "spring.data.redis.sentinel.nodes");
		String master = environment.getProperty("spring.data.redis.sentinel.master");
		boolean sentinel = !sentinelNodes.isEmpty() || master != null;
		int places = (url ? 1 : 0) + (hostPort ? 1 : 0) + (clusterNodes.isEmpty() ? 0 : 1) + (sentinel ? 1 : 0);
		if (places == 0) {
			throw new UnusableServerConfigurationException(present + " set, but no Redis server is named",
					"Name one: spring.data.redis.url, spring.data.redis.host/port, spring.data.redis.cluster.nodes, "
							+ "or spring.data.redis.sentinel.master with spring.data.redis.sentinel.nodes; or remove "
							+ present + " to run on the embedded Redis");
		}
		if (places > 1) {
			throw new UnusableServerConfigurationException(
					"More than one kind of Redis server is named: " + present.stream()
						.filter((name) -> !name.endsWith("password") && !name.endsWith("username")
								&& !name.endsWith("database") && !name.endsWith("ssl.enabled"))
						.toList(),
					"Name exactly one: a URL, a host/port, cluster nodes, or a sentinel master with its nodes");
		}
		if (url) {
			checkRedisUrl(environment.getRequiredProperty("spring.data.redis.url"));
		}
		if (sentinel && (master == null || master.isBlank() || sentinelNodes.isEmpty())) {
			throw new UnusableServerConfigurationException(
					"A Redis sentinel needs both spring.data.redis.sentinel.master and spring.data.redis.sentinel.nodes",
					"Set the master's name and the comma-separated host:port list of its sentinels");
		}
		clusterNodes.forEach((node) -> checkNode("spring.data.redis.cluster.nodes", node));
		sentinelNodes.forEach((node) -> checkNode("spring.data.redis.sentinel.nodes", node));
	}

	private static void checkRedisUrl(String url) {
		try {
			URI uri = new URI(url);
			if (uri.getScheme() == null || !REDIS_SCHEMES.contains(uri.getScheme()) || uri.getHost() == null) {
				throw new URISyntaxException(url, "needs redis:// or rediss:// and a host");
			}
		}
		catch (URISyntaxException ex) {
			throw new UnusableServerConfigurationException(
					"spring.data.redis.url is not a Redis URL: " + url + " (" + ex.getReason() + ")",
					"Use the form redis://[user:password@]host:6379[/database] (rediss:// for TLS); for a cluster "
							+ "set spring.data.redis.cluster.nodes instead, for Sentinel spring.data.redis.sentinel.*");
		}
	}

	private static void checkNode(String property, String node) {
		int colon = node.trim().lastIndexOf(':');
		boolean valid = colon > 0 && node.trim().substring(colon + 1).matches("\\d{1,5}");
		if (!valid) {
			throw new UnusableServerConfigurationException(property + " holds '" + node + "', not host:port",
					"List the nodes as comma-separated host:port pairs, e.g. redis-1:6379,redis-2:6379");
		}
	}

}
