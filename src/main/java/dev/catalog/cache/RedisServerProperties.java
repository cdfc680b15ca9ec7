package dev.catalog.cache;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where Redis is, under Spring Boot's own property names ({@code spring.data.redis.*}), so an
 * operator's usual settings work unchanged: a URL or host/port (standalone), cluster nodes, or
 * a sentinel master with its sentinels; with password, username, database and TLS. Exactly one
 * kind is named: checked, with a clear message, before the service starts (the embedded
 * default fills in the URL when nothing is named).
 */
@ConfigurationProperties("spring.data.redis")
record RedisServerProperties(@Nullable String url, @Nullable String host, @Nullable Integer port,
		@Nullable String username, @Nullable String password, @Nullable Integer database, @Nullable Ssl ssl,
		@Nullable Cluster cluster, @Nullable Sentinel sentinel) {

	boolean clustered() {
		return this.cluster != null && this.cluster.nodes() != null && !this.cluster.nodes().isEmpty();
	}

	boolean sentinelled() {
		return this.sentinel != null && this.sentinel.master() != null;
	}

	boolean tls() {
		return this.ssl != null && Boolean.TRUE.equals(this.ssl.enabled());
	}

	/** TLS to every node ({@code spring.data.redis.ssl.enabled}); a URL says it by {@code rediss://}. */
	record Ssl(@Nullable Boolean enabled) {
	}

	/** {@code host:port} of some of the cluster's nodes; the client learns the rest. */
	record Cluster(@Nullable List<String> nodes) {
	}

	/** The name the sentinels know the primary by, their {@code host:port}s and their own credentials. */
	record Sentinel(@Nullable String master, @Nullable List<String> nodes, @Nullable String username,
			@Nullable String password) {
	}

}
