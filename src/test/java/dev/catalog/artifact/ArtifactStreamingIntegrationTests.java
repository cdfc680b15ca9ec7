package dev.catalog.artifact;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.catalog.CatalogIntegrationTest;
import dev.catalog.Statements;
import dev.catalog.TestCatalog;
import io.micrometer.core.instrument.MeterRegistry;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.Wrapped;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;

@CatalogIntegrationTest
class ArtifactStreamingIntegrationTests {

	private static final ParameterizedTypeReference<ServerSentEvent<Map<String, Object>>> EVENT = new ParameterizedTypeReference<>() {
	};

	/** The reader pauses after every 16 MiB of a stream of about 90 MiB. */
	private static final long PAUSE_EVERY = 16L << 20;

	@LocalServerPort
	int port;

	@Autowired
	TestCatalog catalog;

	@Autowired
	MeterRegistry registry;

	@Autowired
	ConnectionFactory connectionFactory;

	@Autowired
	ArtifactQueries queries;

	WebClient client;

	@BeforeEach
	void reset() {
		this.catalog.reset();
		this.client = WebClient.create("http://localhost:" + this.port);
	}

	@Test
	void anNdjsonStreamOfAThousandArtifactsRunsOneStatementPerChunk() {
		this.catalog.seed(1000, 10);
		long before = Statements.total(this.registry);

		Flux<Map<String, Object>> lines = this.client.get()
			.uri("/api/v1/artifacts")
			.accept(MediaType.APPLICATION_NDJSON)
			.retrieve()
			.bodyToFlux(new ParameterizedTypeReference<Map<String, Object>>() {
			});
		StepVerifier.create(lines.map((line) -> line.get("id")).collectList())
			.assertNext((ids) -> assertThat(ids).hasSize(1000).doesNotHaveDuplicates())
			.expectComplete()
			.verify(Duration.ofSeconds(30));

		// chunks of 500: ceil(1000 / 500)
		assertThat(Statements.total(this.registry) - before).isEqualTo(2);
	}

	@Test
	void anNdjsonStreamHonoursLimitAndFilters() {
		this.catalog.seed(400, 10);
		Flux<Map<String, Object>> lines = this.client.get()
			.uri("/api/v1/artifacts?type=agent&limit=30")
			.accept(MediaType.APPLICATION_NDJSON)
			.retrieve()
			.bodyToFlux(new ParameterizedTypeReference<Map<String, Object>>() {
			});
		StepVerifier.create(lines)
			.thenConsumeWhile((line) -> "agent".equals(line.get("type")))
			.expectComplete()
			.verify(Duration.ofSeconds(30));
		StepVerifier.create(lines.count()).expectNext(30L).expectComplete().verify(Duration.ofSeconds(30));
	}

	@Test
	void aStreamSendsAsManyAsItsLimitEvenPast200() {
		this.catalog.seed(400, 10);
		Flux<Map<String, Object>> lines = this.client.get()
			.uri("/api/v1/artifacts?limit=300")
			.accept(MediaType.APPLICATION_NDJSON)
			.retrieve()
			.bodyToFlux(new ParameterizedTypeReference<Map<String, Object>>() {
			});
		StepVerifier.create(lines.map((line) -> line.get("id")).collectList())
			.assertNext((ids) -> assertThat(ids).hasSize(300).doesNotHaveDuplicates())
			.expectComplete()
			.verify(Duration.ofSeconds(30));

		List<ServerSentEvent<Map<String, Object>>> events = this.client.get()
			.uri("/api/v1/artifacts?limit=300")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.retrieve()
			.bodyToFlux(EVENT)
			.collectList()
			.block(Duration.ofSeconds(30));
		assertThat(events).hasSize(301);
		assertThat(events.subList(0, 300)).allSatisfy((event) -> assertThat(event.event()).isEqualTo("artifact"));
		assertThat(events.get(300).event()).isEqualTo("end");
	}

	@Test
	void theListQueryEmitsAPageInOrder() {
		this.catalog.seed(25, 5);
		StepVerifier.create(this.queries.page(ArtifactFilter.NONE, null, 10).map(ListedArtifact::position).collectList())
			.assertNext((times) -> assertThat(times).hasSize(10).isSortedAccordingTo(java.util.Comparator.reverseOrder()))
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	@Test
	void aSlowReaderOfTwoHundredThousandArtifactsKeepsHeapBoundedAndHoldsNoConnectionBetweenChunks() {
		this.catalog.seed(200_000, 50);
		ConnectionPool pool = pool(this.connectionFactory);
		long baseline = liveHeap();
		long before = Statements.total(this.registry);
		AtomicLong bytes = new AtomicLong();
		AtomicLong lines = new AtomicLong();
		AtomicLong nextPause = new AtomicLong(PAUSE_EVERY);
		List<Integer> acquiredWhilePaused = new ArrayList<>();
		List<Long> heapWhilePaused = new ArrayList<>();

		Flux<Void> reading = this.client.get()
			.uri("/api/v1/artifacts")
			.accept(MediaType.APPLICATION_NDJSON)
			.retrieve()
			.bodyToFlux(DataBuffer.class)
			.concatMap((buffer) -> {
				int size = buffer.readableByteCount();
				for (int i = 0; i < size; i++) {
					if (buffer.getByte(buffer.readPosition() + i) == '\n') {
						lines.incrementAndGet();
					}
				}
				DataBufferUtils.release(buffer);
				if (bytes.addAndGet(size) < nextPause.get()) {
					return Mono.empty();
				}
				nextPause.addAndGet(PAUSE_EVERY);
				// a reader that stops reading now and then, until the server has filled the socket
				// buffers and stopped too: from then on it must hold no connection
				return Mono.fromRunnable(() -> {
					awaitServerStalled();
					acquiredWhilePaused.add(pool.getMetrics().orElseThrow().acquiredSize());
					heapWhilePaused.add(liveHeap());
				}).subscribeOn(Schedulers.boundedElastic()).then();
			}, 1);

		StepVerifier.create(reading).expectComplete().verify(Duration.ofMinutes(3));

		assertThat(lines).hasValue(200_000);
		assertThat(bytes.get()).isGreaterThan(50L << 20);
		assertThat(Statements.total(this.registry) - before).isEqualTo(400);
		assertThat(acquiredWhilePaused).as("connections acquired at the end of each pause")
			.hasSizeGreaterThanOrEqualTo(4)
			.containsOnly(0);
		// the whole stream is far larger than this; only a couple of chunks may be alive at once
		assertThat(heapWhilePaused).isNotEmpty()
			.allSatisfy((live) -> assertThat(live - baseline).isLessThan(64L << 20));
	}

	@Test
	void serverSentEventsResumeAfterLastEventIdWithNothingLostOrRepeated() {
		this.catalog.seed(1000, 10);
		List<String> expected = this.client.get()
			.uri("/api/v1/artifacts")
			.accept(MediaType.APPLICATION_NDJSON)
			.retrieve()
			.bodyToFlux(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.map((line) -> (String) line.get("id"))
			.collectList()
			.block(Duration.ofSeconds(30));

		List<ServerSentEvent<Map<String, Object>>> firstPart = this.client.get()
			.uri("/api/v1/artifacts")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.retrieve()
			.bodyToFlux(EVENT)
			.take(317)
			.collectList()
			.block(Duration.ofSeconds(30));
		assertThat(firstPart).allSatisfy((event) -> assertThat(event.event()).isEqualTo("artifact"));
		String lastEventId = firstPart.get(firstPart.size() - 1).id();

		List<ServerSentEvent<Map<String, Object>>> rest = this.client.get()
			.uri("/api/v1/artifacts")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.header("Last-Event-ID", lastEventId)
			.retrieve()
			.bodyToFlux(EVENT)
			.collectList()
			.block(Duration.ofSeconds(30));
		assertThat(rest.get(rest.size() - 1).event()).isEqualTo("end");

		List<String> received = new ArrayList<>();
		firstPart.forEach((event) -> received.add((String) event.data().get("id")));
		rest.stream()
			.filter((event) -> "artifact".equals(event.event()))
			.forEach((event) -> received.add((String) event.data().get("id")));
		assertThat(received).hasSize(1000).containsExactlyElementsOf(expected);
	}

	@Test
	void aResumeIdFromAnotherListIsRefused() {
		this.catalog.seed(20, 3);
		String id = this.client.get()
			.uri("/api/v1/artifacts?type=skill")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.retrieve()
			.bodyToFlux(EVENT)
			.blockFirst(Duration.ofSeconds(10))
			.id();
		StepVerifier.create(this.client.get()
			.uri("/api/v1/artifacts")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.header("Last-Event-ID", id)
			.exchangeToMono((response) -> Mono.just(response.statusCode().value())))
			.expectNext(400)
			.expectComplete()
			.verify(Duration.ofSeconds(10));
	}

	/** Waits until the server has run no statement for a while, at most 30 seconds. */
	private void awaitServerStalled() {
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		long last = Statements.total(this.registry);
		int quiet = 0;
		while (quiet < 4 && System.nanoTime() < deadline) {
			try {
				Thread.sleep(250);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			long now = Statements.total(this.registry);
			quiet = (now == last) ? quiet + 1 : 0;
			last = now;
		}
	}

	private static ConnectionPool pool(ConnectionFactory factory) {
		Object current = factory;
		while (!(current instanceof ConnectionPool) && current instanceof Wrapped<?> wrapped) {
			current = wrapped.unwrap();
		}
		assertThat(current).isInstanceOf(ConnectionPool.class);
		return (ConnectionPool) current;
	}

	private static long liveHeap() {
		System.gc();
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

}
