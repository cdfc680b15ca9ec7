package dev.catalog;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * Chooses the real servers the tests talk to, once per JVM: Testcontainers where a Docker
 * engine answers, otherwise the embedded PostgreSQL and Redis binaries that the application
 * itself starts when no URL is configured. Either way, every application context in the JVM
 * shares the same two servers.
 */
public class TestServers implements BeforeAllCallback {

	private static boolean chosen;

	@Override
	public void beforeAll(ExtensionContext context) {
		choose();
	}

	static synchronized void choose() {
		if (chosen) {
			return;
		}
		chosen = true;
		if (System.getProperty("spring.r2dbc.url") != null || !dockerAvailable()) {
			return;
		}
		PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17-alpine");
		postgres.start();
		GenericContainer<?> redis = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
		redis.start();
		String hostPort = postgres.getHost() + ":" + postgres.getMappedPort(5432);
		System.setProperty("spring.r2dbc.url", "r2dbc:postgresql://" + hostPort + "/" + postgres.getDatabaseName());
		System.setProperty("spring.r2dbc.username", postgres.getUsername());
		System.setProperty("spring.r2dbc.password", postgres.getPassword());
		System.setProperty("spring.data.redis.url", "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379));
	}

	private static boolean dockerAvailable() {
		try {
			return DockerClientFactory.instance().isDockerAvailable();
		}
		catch (Throwable ex) {
			return false;
		}
	}

}
