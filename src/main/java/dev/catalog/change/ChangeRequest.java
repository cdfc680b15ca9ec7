package dev.catalog.change;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import dev.catalog.artifact.ArtifactType;
import dev.catalog.web.BadRequestException;
import dev.catalog.web.Ids;
import org.jspecify.annotations.Nullable;

import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * What a feed request asks for, checked before anything is read.
 *
 * @param after resume after this position ({@code Last-Event-ID}, else {@code after}); {@code null}
 * to start at the feed's head
 * @param collection only changes concerning this collection: an artifact event passes if the
 * artifact was in it before the change or is in it after
 * @param type only artifact events of artifacts of this type (before or after the change);
 * collection and membership events are not filtered by type
 * @param events only these event types; empty for all
 */
record ChangeRequest(@Nullable Position after, @Nullable UUID collection, @Nullable String type, Set<String> events) {

	static final List<String> EVENT_TYPES = List.of("artifact.created", "artifact.updated", "artifact.deleted",
			"artifact.version-added", "collection.created", "collection.updated", "collection.deleted",
			"membership.added", "membership.removed");

	static ChangeRequest of(ServerRequest request) {
		String lastEventId = request.headers().firstHeader("Last-Event-ID");
		String after = (lastEventId != null && !lastEventId.isBlank()) ? lastEventId
				: request.queryParam("after").orElse(null);
		String collection = request.queryParam("collection").orElse(null);
		String type = request.queryParam("type").orElse(null);
		if (type != null && ArtifactType.of(type) == null) {
			throw new BadRequestException("Invalid parameter",
					"type must be one of " + ArtifactType.NAMES + ", not '" + type + "'.");
		}
		Set<String> events = Set.of();
		String event = request.queryParam("event").orElse(null);
		if (event != null) {
			events = Set.copyOf(Arrays.stream(event.split(",")).map(String::trim).toList());
			for (String name : events) {
				if (!EVENT_TYPES.contains(name)) {
					throw new BadRequestException("Invalid parameter",
							"event must list some of " + EVENT_TYPES + ", not '" + name + "'.");
				}
			}
		}
		return new ChangeRequest((after != null) ? Position.decode(after) : null,
				(collection != null) ? Ids.parse("collection", collection) : null, type, events);
	}

	Predicate<Change> filter() {
		return (change) -> (this.events.isEmpty() || this.events.contains(change.kind()))
				&& (this.collection == null || change.collectionIds().contains(this.collection))
				&& (this.type == null || !change.kind().startsWith("artifact.")
						|| change.artifactTypes().contains(this.type));
	}

}
