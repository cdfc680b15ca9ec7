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
 * and it wires three instances of the service to one PostgreSQL 17 and one Redis 7 behind a load
 * balancer on 8080, with health checks.
 */
class ComposeFileTests {

	@Test
	@SuppressWarnings("unchecked")
	void composeFileWiresThreeInstancesToOneDatabaseAndOneRedisBehindALoadBalancer() throws IOException {
		Map<String, Object> compose;
		try (InputStream in = Files.newInputStream(Path.of("compose.yaml"))) {
			compose = new Yaml().load(in);
		}
		Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
		assertThat(services).containsOnlyKeys("postgres", "redis", "catalog", "load-balancer");
		assertThat((String) services.get("postgres").get("image")).startsWith("postgres:17");
		assertThat((String) services.get("redis").get("image")).startsWith("redis:7");
		services.values().stream()
			.filter((service) -> !service.containsKey("ports"))
			.forEach((service) -> assertThat(service).containsKey("healthcheck"));

		Map<String, Object> catalog = services.get("catalog");
		assertThat((Map<String, Object>) catalog.get("deploy")).containsEntry("replicas", 3);
		assertThat((Map<String, Object>) catalog.get("environment")).containsKeys("SPRING_R2DBC_URL",
				"SPRING_R2DBC_USERNAME", "SPRING_R2DBC_PASSWORD", "SPRING_DATA_REDIS_URL", "CATALOG_API_TOKENS");
		assertThat(Files.exists(Path.of("Dockerfile"))).isTrue();

		Map<String, Object> balancer = services.get("load-balancer");
		assertThat((List<String>) balancer.get("ports")).containsExactly("8080:8080");
		assertThat(Files.readString(Path.of("compose/nginx.conf"))).contains("server catalog:8080");
	}

}
