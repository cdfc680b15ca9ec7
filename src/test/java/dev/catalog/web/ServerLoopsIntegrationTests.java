package dev.catalog.web;

import java.util.List;

import dev.catalog.CatalogIntegrationTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** The running server accepts connections on a thread that serves no requests. */
@CatalogIntegrationTest
class ServerLoopsIntegrationTests {

	@Autowired
	WebTestClient http;

	@Test
	void connectionsAreAcceptedOnAThreadOfTheirOwn() {
		this.http.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
		List<String> threads = Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList();
		// the listening socket registered on the dedicated acceptor loop, which starts its thread
		assertThat(threads).anyMatch((name) -> name.startsWith(ServerLoopsConfiguration.PREFIX + "-select-"));
		// and requests are served by the other loops of the same resources
		assertThat(threads).anyMatch((name) -> name.startsWith(ServerLoopsConfiguration.PREFIX + "-")
				&& !name.startsWith(ServerLoopsConfiguration.PREFIX + "-select-"));
	}

}
