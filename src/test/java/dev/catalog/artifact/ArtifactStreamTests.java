package dev.catalog.artifact;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class ArtifactStreamTests {

	/** 23 artifacts, newest first, served by keyset like the real query. */
	private final List<ListedArtifact> catalog = catalog(23);

	private final AtomicInteger fetches = new AtomicInteger();

	/** Like a database read: a connection is taken on subscription and given back on completion. */
	private final AtomicInteger connectionsHeld = new AtomicInteger();

	private final ArtifactStream.PageSource pooledSource = (after, limit) -> Flux
		.usingWhen(Mono.fromCallable(this.connectionsHeld::incrementAndGet),
				(connection) -> Flux.fromStream(() -> this.catalog.stream()
					.filter((artifact) -> after == null || artifact.position().isBefore(after.at()))
					.limit(limit)),
				(connection) -> Mono.fromRunnable(this.connectionsHeld::decrementAndGet))
		.collectList();

	private final ArtifactStream.PageSource source = (after, limit) -> Mono.fromSupplier(() -> {
		this.fetches.incrementAndGet();
		return this.catalog.stream()
			.filter((artifact) -> after == null || artifact.position().isBefore(after.at()))
			.limit(limit)
			.toList();
	});

	@Test
	void streamsEveryArtifactInOrderInChunksWithOneFetchPerChunk() {
		StepVerifier.create(ArtifactStream.of(this.source, null, Long.MAX_VALUE, 5))
			.expectNextSequence(this.catalog)
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		assertThat(this.fetches).hasValue(5);
	}

	@Test
	void readsAtMostOneChunkAheadOfWhatTheSubscriberAskedFor() {
		StepVerifier.create(ArtifactStream.of(this.source, null, Long.MAX_VALUE, 5), 0)
			.expectSubscription()
			.then(() -> assertThat(this.fetches.get()).isLessThanOrEqualTo(1))
			.thenRequest(1)
			.expectNext(this.catalog.get(0))
			.then(() -> assertThat(this.fetches.get()).isLessThanOrEqualTo(2))
			.thenRequest(4)
			.expectNextCount(4)
			.then(() -> assertThat(this.fetches.get()).isLessThanOrEqualTo(2))
			.thenRequest(5)
			.expectNextCount(5)
			.then(() -> assertThat(this.fetches.get()).isLessThanOrEqualTo(3))
			.thenCancel()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void holdsNoConnectionWhileTheSubscriberIsNotAsking() {
		StepVerifier.create(ArtifactStream.of(this.pooledSource, null, Long.MAX_VALUE, 5), 0)
			.expectSubscription()
			.then(() -> assertThat(this.connectionsHeld).hasValue(0))
			.thenRequest(3)
			.expectNextCount(3)
			.then(() -> assertThat(this.connectionsHeld).hasValue(0))
			.thenRequest(9)
			.expectNextCount(9)
			.then(() -> assertThat(this.connectionsHeld).hasValue(0))
			.thenRequest(Long.MAX_VALUE)
			.expectNextCount(11)
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		assertThat(this.connectionsHeld).hasValue(0);
	}

	@Test
	void stopsAfterTheRequestedMaximumWithoutReadingFurther() {
		StepVerifier.create(ArtifactStream.of(this.source, null, 7, 5))
			.expectNextSequence(this.catalog.subList(0, 7))
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		assertThat(this.fetches).hasValue(2);
	}

	@Test
	void resumesAfterTheGivenPosition() {
		StepVerifier.create(ArtifactStream.of(this.source, this.catalog.get(9).cursor(), Long.MAX_VALUE, 5))
			.expectNextSequence(this.catalog.subList(10, 23))
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void anEmptyListIsOneFetchAndNoItems() {
		ArtifactStream.PageSource empty = (after, limit) -> {
			this.fetches.incrementAndGet();
			return Mono.just(List.of());
		};
		StepVerifier.create(ArtifactStream.of(empty, null, Long.MAX_VALUE, 5))
			.expectComplete()
			.verify(Duration.ofSeconds(5));
		assertThat(this.fetches).hasValue(1);
	}

	private static List<ListedArtifact> catalog(int size) {
		Instant newest = Instant.parse("2026-01-01T00:00:00Z");
		List<ListedArtifact> artifacts = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			Instant at = newest.minusSeconds(i);
			artifacts.add(new ListedArtifact(UUID.randomUUID(), at, "{\"name\":\"artifact-" + i + "\"}"));
		}
		return artifacts;
	}

}
