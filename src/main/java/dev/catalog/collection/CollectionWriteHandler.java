package dev.catalog.collection;

import java.net.URI;
import java.util.UUID;

import dev.catalog.web.Ids;
import dev.catalog.web.JsonBodies;
import dev.catalog.db.Writes;
import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Collection and membership writes. Every request is checked completely (ids, content type,
 * size, JSON, fields) before a transaction starts, and every write runs through {@link Writes},
 * which commits, retries deadlock victims and tells the cache before the answer is sent.
 */
class CollectionWriteHandler {

	private final CollectionWrites collections;

	private final Writes writes;

	private final JsonBodies bodies;

	CollectionWriteHandler(CollectionWrites collections, Writes writes, JsonBodies bodies) {
		this.collections = collections;
		this.writes = writes;
		this.bodies = bodies;
	}

	Mono<ServerResponse> create(ServerRequest request) {
		return this.bodies.read(request, JsonBodies.JSON).map(NewCollection::from).flatMap((collection) -> {
			UUID id = UUID.randomUUID();
			return this.writes.commit(() -> this.collections.create(id, collection, this.writes.now()));
		})
			.flatMap((created) -> ServerResponse.created(URI.create("/api/v1/collections/" + created.id()))
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(created));
	}

	Mono<ServerResponse> patch(ServerRequest request) {
		return Mono.fromCallable(() -> Ids.parse("collection", request.pathVariable("id")))
			.flatMap((id) -> this.bodies.read(request, JsonBodies.PATCH)
				.map(CollectionPatch::from)
				.flatMap((patch) -> this.writes.commit(() -> this.collections.patch(id, patch, this.writes.now()))))
			.flatMap((patched) -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(patched));
	}

	Mono<ServerResponse> delete(ServerRequest request) {
		return Mono.fromCallable(() -> Ids.parse("collection", request.pathVariable("id")))
			.flatMap((id) -> this.writes.commit(() -> this.collections.delete(id)))
			.flatMap((deleted) -> ServerResponse.noContent().build());
	}

	/** 201 when the artifact joined, 204 when it already was a member. */
	Mono<ServerResponse> addMember(ServerRequest request) {
		return Mono.fromCallable(() -> new Member(Ids.parse("collection", request.pathVariable("id")),
				Ids.parse("artifact", request.pathVariable("artifactId"))))
			.flatMap((member) -> this.writes
				.commit(() -> this.collections.add(member.collection(), member.artifact(), this.writes.now())))
			.flatMap((added) -> added ? ServerResponse.created(URI.create(request.requestPath().value())).build()
					: ServerResponse.noContent().build());
	}

	/** 204 whether or not the artifact was a member. */
	Mono<ServerResponse> removeMember(ServerRequest request) {
		return Mono.fromCallable(() -> new Member(Ids.parse("collection", request.pathVariable("id")),
				Ids.parse("artifact", request.pathVariable("artifactId"))))
			.flatMap((member) -> this.writes.commit(() -> this.collections.remove(member.collection(), member.artifact())))
			.flatMap((removed) -> ServerResponse.noContent().build());
	}

	Mono<ServerResponse> batch(ServerRequest request) {
		return Mono.fromCallable(() -> Ids.parse("collection", request.pathVariable("id")))
			.flatMap((id) -> this.bodies.read(request, JsonBodies.JSON)
				.map(MembershipBatch::from)
				.flatMap((batch) -> this.writes.commit(() -> this.collections.apply(id, batch, this.writes.now()))))
			.flatMap((change) -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(change));
	}

	private record Member(UUID collection, UUID artifact) {

	}


}
