package dev.catalog.cache;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.StaticCredentialsProvider;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class RedisConfiguration {

	/**
	 * Reconnection attempts back off exponentially but never more than a second apart, so
	 * caching resumes within about a second of Redis coming back (Lettuce's default waits up
	 * to 30 s).
	 */
	@Bean(destroyMethod = "shutdown")
	ClientResources redisClientResources() {
		return DefaultClientResources.builder()
			.reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
			.build();
	}

	/**
	 * A cluster client when cluster nodes are named, otherwise one Redis (a sentinel URI makes
	 * Lettuce ask the sentinels for the primary at every (re)connection). Either fails fast while
	 * disconnected instead of buffering commands: a read must never wait on a Redis that is down.
	 */
	@Bean(destroyMethod = "close")
	RedisConnection redisConnection(ClientResources resources, RedisServerProperties server,
			RedisClientProperties properties) {
		SocketOptions socket = SocketOptions.builder().connectTimeout(properties.connectTimeout()).build();
		TimeoutOptions timeout = TimeoutOptions.enabled(properties.commandTimeout());
		if (server.clustered()) {
			RedisClusterClient client = RedisClusterClient.create(resources, clusterNodes(server, properties));
			client.setOptions(ClusterClientOptions.builder()
				.autoReconnect(true)
				.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
				.socketOptions(socket)
				.timeoutOptions(timeout)
				// periodic, and at once on MOVED/ASK redirections, persistent reconnection
				// attempts and unknown nodes: a promoted replica is found within about a second
				// of the cluster electing it
				.topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
					.enablePeriodicRefresh(properties.topologyRefresh())
					.enableAllAdaptiveRefreshTriggers()
					.adaptiveRefreshTriggersTimeout(Duration.ofMillis(500))
					.build())
				.build());
			return RedisConnection.cluster(client, attempt(properties), properties.connectTimeout());
		}
		RedisClient client = RedisClient.create(resources);
		client.setOptions(ClientOptions.builder()
			.autoReconnect(true)
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.socketOptions(socket)
			.timeoutOptions(timeout)
			.build());
		return RedisConnection.standalone(client, standaloneUri(server, properties), attempt(properties),
				properties.connectTimeout());
	}

	/** Bound on opening the connection: the TCP connection, then Redis's answer to the handshake. */
	private static Duration attempt(RedisClientProperties properties) {
		return properties.connectTimeout().plus(properties.commandTimeout());
	}

	/** The rate limits' buckets, shared by every instance, on the same connection and timeout. */
	@Bean
	RedisRateLimitBuckets redisRateLimitBuckets(RedisConnection redis, CacheProperties cache,
			RedisClientProperties properties) {
		return new RedisRateLimitBuckets(redis, cache.keyPrefix(), properties.commandTimeout());
	}

	@Bean
	RedisHealthIndicator redisHealthIndicator(RedisConnection redis) {
		return new RedisHealthIndicator(redis);
	}

	private static List<RedisURI> clusterNodes(RedisServerProperties server, RedisClientProperties properties) {
		return server.cluster().nodes().stream().map((node) -> {
			RedisURI.Builder uri = RedisURI.Builder.redis(host(node), port(node));
			return credentials(uri, server.username(), server.password()).withSsl(server.tls())
				.withTimeout(properties.commandTimeout())
				.build();
		}).toList();
	}

	static RedisURI standaloneUri(RedisServerProperties server, RedisClientProperties properties) {
		RedisURI uri;
		if (server.sentinelled()) {
			RedisServerProperties.Sentinel sentinel = server.sentinel();
			List<String> nodes = sentinel.nodes();
			RedisURI.Builder builder = RedisURI.Builder.sentinel(host(nodes.get(0)), port(nodes.get(0)),
					sentinel.master());
			nodes.stream().skip(1).forEach((node) -> builder.withSentinel(host(node), port(node)));
			uri = credentials(builder, server.username(), server.password()).withSsl(server.tls()).build();
			for (RedisURI one : uri.getSentinels()) {
				one.setSsl(server.tls());
				if (sentinel.password() != null) {
					one.setCredentialsProvider(new StaticCredentialsProvider(sentinel.username(),
							sentinel.password().toCharArray()));
				}
			}
		}
		else if (server.url() != null) {
			uri = RedisURI.create(server.url());
		}
		else {
			uri = credentials(RedisURI.Builder.redis((server.host() != null) ? server.host() : "localhost",
					(server.port() != null) ? server.port() : RedisURI.DEFAULT_REDIS_PORT), server.username(),
					server.password())
				.withSsl(server.tls())
				.build();
		}
		if (server.database() != null) {
			uri.setDatabase(server.database());
		}
		uri.setTimeout(properties.commandTimeout());
		return uri;
	}

	private static RedisURI.Builder credentials(RedisURI.Builder uri, String username, String password) {
		if (password != null && username != null) {
			return uri.withAuthentication(username, password);
		}
		return (password != null) ? uri.withPassword(password) : uri;
	}

	private static String host(String node) {
		String trimmed = node.trim();
		return trimmed.substring(0, trimmed.lastIndexOf(':'));
	}

	private static int port(String node) {
		String trimmed = node.trim();
		return Integer.parseInt(trimmed.substring(trimmed.lastIndexOf(':') + 1));
	}

}
