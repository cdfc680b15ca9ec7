package dev.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No Docker engine runs where the build runs, so the compose file is checked here: it parses,
 * and it wires three instances of the service to one PostgreSQL 17 and a Redis 7 behind a load
 * balancer on 8080, with health checks; Redis is a primary and a replica watched by three sentinels;
 * PostgreSQL a primary and a streaming replica that the instances read from.
 */
class ComposeFileTests {

	@Test
	@SuppressWarnings("unchecked")
	void composeFileWiresThreeInstancesToADatabaseWithAReplicaAndASentinelWatchedRedisBehindALoadBalancer() throws IOException {
		Map<String, Object> compose;
		try (InputStream in = Files.newInputStream(Path.of("compose.yaml"))) {
			compose = new Yaml().load(in);
		}
		Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
		assertThat(services).containsOnlyKeys("postgres", "postgres-replica", "redis-primary", "redis-replica", "redis-sentinel-1",
				"redis-sentinel-2", "redis-sentinel-3", "catalog", "load-balancer");
		assertThat((String) services.get("postgres").get("image")).startsWith("postgres:17");
		assertThat((String) services.get("postgres-replica").get("image")).startsWith("postgres:17");
		assertThat(String.join(" ", (List<String>) services.get("postgres").get("command")))
			.contains("wal_level=replica");
		assertThat((List<String>) services.get("postgres").get("volumes"))
			.contains("./compose/postgres-replication.sh:/docker-entrypoint-initdb.d/replication.sh:ro");
		assertThat(Files.readString(Path.of("compose/postgres-replication.sh")))
			.contains("WITH REPLICATION LOGIN")
			.contains("pg_create_physical_replication_slot('replica_1')")
			.contains("host replication replicator");
		// cloned from the primary with the slot the primary made, started as a standby (-R)
		assertThat(String.join(" ", (List<String>) services.get("postgres-replica").get("command")))
			.contains("pg_basebackup -h postgres -U replicator")
			.contains(" -R ")
			.contains("-S replica_1");
		services.entrySet()
			.stream()
			.filter((service) -> service.getKey().startsWith("redis-"))
			.forEach((service) -> assertThat((String) service.getValue().get("image")).startsWith("redis:7"));
		assertThat((List<String>) services.get("redis-replica").get("command")).containsSequence("--replicaof",
				"redis-primary", "6379");
		for (int i = 1; i <= 3; i++) {
			assertThat(String.join(" ", (List<String>) services.get("redis-sentinel-" + i).get("command")))
				.contains("sentinel monitor main redis-primary 6379 2")
				.contains("--sentinel");
		}
		services.values().stream()
			.filter((service) -> !service.containsKey("ports"))
			.forEach((service) -> assertThat(service).containsKey("healthcheck"));

		Map<String, Object> catalog = services.get("catalog");
		assertThat((Map<String, Object>) catalog.get("deploy")).containsEntry("replicas", 3);
		Map<String, Object> environment = (Map<String, Object>) catalog.get("environment");
		assertThat(environment).containsKeys("SPRING_R2DBC_URL", "SPRING_R2DBC_USERNAME", "SPRING_R2DBC_PASSWORD",
				"CATALOG_API_TOKENS")
			.containsEntry("CATALOG_DB_REPLICAS", "r2dbc:postgresql://postgres-replica:5432/catalog")
			// the service finds the primary through the sentinels, never a fixed Redis address
			.containsEntry("SPRING_DATA_REDIS_SENTINEL_MASTER", "main")
			.containsEntry("SPRING_DATA_REDIS_SENTINEL_NODES",
					"redis-sentinel-1:26379,redis-sentinel-2:26379,redis-sentinel-3:26379")
			.doesNotContainKey("SPRING_DATA_REDIS_URL");
		assertThat((Map<String, Object>) catalog.get("depends_on")).containsKeys("postgres", "postgres-replica",
				"redis-sentinel-1",
				"redis-sentinel-2", "redis-sentinel-3");
		assertThat(Files.exists(Path.of("Dockerfile"))).isTrue();

		Map<String, Object> balancer = services.get("load-balancer");
		assertThat((List<String>) balancer.get("ports")).containsExactly("8080:8080");
		assertThat(Files.readString(Path.of("compose/nginx.conf"))).contains("server catalog:8080");
	}

}
