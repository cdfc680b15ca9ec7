package dev.catalog.artifact;

import java.net.URI;
import java.util.UUID;

import dev.catalog.web.Ids;
import dev.catalog.web.JsonBodies;
import dev.catalog.db.Writes;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Artifact writes. Every request is checked completely (id, content type, size, JSON, fields)
 * before a transaction starts, and every write runs through {@link Writes}, which commits,
 * retries deadlock victims and tells the cache before the answer is sent.
 */
class ArtifactWriteHandler {

	private final ArtifactWrites artifacts;

	private final Writes writes;

	private final JsonBodies bodies;

	private final JsonMapper json;

	ArtifactWriteHandler(ArtifactWrites artifacts, Writes writes, JsonBodies bodies, JsonMapper json) {
		this.artifacts = artifacts;
		this.writes = writes;
		this.bodies = bodies;
		this.json = json;
	}

	Mono<ServerResponse> create(ServerRequest request) {
		return this.bodies.read(request, JsonBodies.JSON)
			.map((body) -> NewArtifact.from(body, this.json))
			.flatMap((artifact) -> {
				UUID id = UUID.randomUUID();
				return this.writes.commit(() -> this.artifacts.create(id, artifact, this.writes.now()));
			})
			.flatMap((created) -> ServerResponse.created(location(created.id()))
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(created));
	}

	Mono<ServerResponse> patch(ServerRequest request) {
		return Mono.fromCallable(() -> Ids.parse("artifact", request.pathVariable("id")))
			.flatMap((id) -> this.bodies.read(request, JsonBodies.PATCH)
				.map((body) -> ArtifactPatch.from(body, this.json))
				.flatMap((patch) -> this.writes.commit(() -> this.artifacts.patch(id, patch, this.writes.now()))))
			.flatMap((patched) -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(patched));
	}

	Mono<ServerResponse> delete(ServerRequest request) {
		return Mono.fromCallable(() -> Ids.parse("artifact", request.pathVariable("id")))
			.flatMap((id) -> this.writes.commit(() -> this.artifacts.delete(id)))
			.flatMap((deleted) -> ServerResponse.noContent().build());
	}

	Mono<ServerResponse> addVersion(ServerRequest request) {
		return Mono.fromCallable(() -> Ids.parse("artifact", request.pathVariable("id")))
			.flatMap((id) -> this.bodies.read(request, JsonBodies.JSON)
				.map(NewVersion::from)
				.flatMap((version) -> this.writes.commit(() -> this.artifacts.addVersion(id, version, this.writes.now())))
				.flatMap((added) -> ServerResponse.created(location(id))
					.contentType(MediaType.APPLICATION_JSON)
					.bodyValue(added)));
	}


	private static URI location(UUID id) {
		return URI.create("/api/v1/artifacts/" + id);
	}

}
