package dev.catalog;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Another instance of the service in the test JVM (its own application context and port) on
 * the same PostgreSQL and Redis as every other context: what a second replica behind a load
 * balancer would be. Close it when done.
 */
public final class TestInstances {

	private TestInstances() {
	}

	/** A second instance with the {@code test} profile, the writers' token and {@code arguments}. */
	public static ConfigurableApplicationContext start(String... arguments) {
		String[] all = new String[arguments.length + 4];
		all[0] = "--server.port=0";
		all[1] = "--catalog.api-tokens=" + WriteIntegrationTest.TOKEN;
		all[2] = "--spring.r2dbc.pool.max-acquire-time=10s";
		all[3] = "--catalog.redis.command-timeout=5s";
		System.arraycopy(arguments, 0, all, 4, arguments.length);
		return new SpringApplicationBuilder(CatalogApplication.class).profiles("test").run(all);
	}

	public static int port(ConfigurableApplicationContext instance) {
		return instance.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

}
