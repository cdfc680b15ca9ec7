package dev.catalog;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.test.context.TestPropertySource;

/**
 * A {@link CatalogIntegrationTest} whose service accepts the bearer token {@link #TOKEN} for
 * writes. Every test class that writes uses exactly this, so they share one application context.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@CatalogIntegrationTest
// generous timeouts: these tests assert behaviour, not latency, on a machine that may be busy
@TestPropertySource(properties = { "catalog.api-tokens=" + WriteIntegrationTest.TOKEN + ",second-token",
		"spring.r2dbc.pool.max-acquire-time=10s", "spring.r2dbc.pool.max-create-connection-time=10s",
		"catalog.redis.command-timeout=5s", "catalog.redis.connect-timeout=5s" })
public @interface WriteIntegrationTest {

	String TOKEN = "write-tests-token-5f0c";

}
