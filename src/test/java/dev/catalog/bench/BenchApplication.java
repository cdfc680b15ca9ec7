package dev.catalog.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.catalog.CatalogApplication;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.Environment;

/**
 * The service plus the benchmark-only routes of {@link BenchRoutes}. It lives in the test
 * sources, so none of it reaches the production jar; {@code bench/run.sh} starts it with
 * {@code target/test-classes}, {@code target/classes} and the dependency classpath.
 * <p>
 * With {@code --bench.servers-file=<path>} it writes the PostgreSQL and Redis it ended up
 * using (the embedded ones choose free ports) as shell variables, so that a second instance
 * and pgbench can be pointed at the same servers.
 */
public final class BenchApplication {

	private BenchApplication() {
	}

	public static void main(String[] args) throws IOException {
		ConfigurableApplicationContext context = SpringApplication.from(CatalogApplication::main)
			.with(BenchRoutes.class)
			.run(args)
			.getApplicationContext();
		Environment environment = context.getEnvironment();
		String serversFile = environment.getProperty("bench.servers-file");
		if (serversFile != null) {
			Files.writeString(Path.of(serversFile), """
					R2DBC_URL='%s'
					R2DBC_USERNAME='%s'
					R2DBC_PASSWORD='%s'
					REDIS_URL='%s'
					""".formatted(environment.getProperty("spring.r2dbc.url"),
					environment.getProperty("spring.r2dbc.username", ""),
					environment.getProperty("spring.r2dbc.password", ""),
					environment.getProperty("spring.data.redis.url")));
		}
	}

}
