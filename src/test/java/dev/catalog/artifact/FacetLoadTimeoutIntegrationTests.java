package dev.catalog.artifact;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.catalog.CatalogIntegrationTest;
import dev.catalog.TestCatalog;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The facets have a load timeout of their own. PostgreSQL is made slow on purpose: a
 * transaction holds the artifacts table locked for a while, so a read of it waits. A miss of the
 * facets waits it out and is stored; a list read, bound by the cache's own load timeout, gets
 * the 503 it always got.
 */
@CatalogIntegrationTest
@TestPropertySource(properties = { "catalog.cache.load-timeout=500ms", "catalog.facets.load-timeout=30s" })
class FacetLoadTimeoutIntegrationTests {

	@Autowired
	WebTestClient http;

	@Autowired
	TestCatalog catalog;

	@Autowired
	TransactionalOperator transactions;

	@BeforeEach
	void seed() {
		this.catalog.reset();
		this.catalog.seed(200, 10);
	}

	@Test
	void aFacetsMissMayTakeLongerThanTheCachesLoadTimeout() {
		Disposable lock = lockArtifacts(Duration.ofMillis(1500));
		this.http.get().uri("/api/v1/artifacts/facets").exchange().expectStatus().isOk().expectHeader()
			.valueEquals("X-Cache", "MISS");
		this.http.get().uri("/api/v1/artifacts/facets").exchange().expectStatus().isOk().expectHeader()
			.valueEquals("X-Cache", "HIT");
		assertThat(lock.isDisposed()).as("the lock was held and let go").isTrue();
		lockArtifacts(Duration.ofMillis(1500));
		this.http.get().uri("/api/v1/artifacts?limit=7").exchange().expectStatus().isEqualTo(503);
	}

	/** Holds the artifacts table locked for {@code duration}, from once the lock is taken. */
	private Disposable lockArtifacts(Duration duration) {
		CountDownLatch locked = new CountDownLatch(1);
		Disposable holder = this.transactions
			.transactional(this.catalog.database()
				.sql("LOCK TABLE artifacts IN ACCESS EXCLUSIVE MODE")
				.then()
				.doOnSuccess((done) -> locked.countDown())
				.then(Mono.delay(duration)))
			.subscribe();
		try {
			assertThat(locked.await(10, TimeUnit.SECONDS)).as("lock taken").isTrue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return holder;
	}

}
