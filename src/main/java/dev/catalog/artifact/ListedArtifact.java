package dev.catalog.artifact;

import java.time.Instant;
import java.util.UUID;

import dev.catalog.web.Cursor;

/**
 * An artifact as a list carries it: where it sits in the list, and its JSON ({@link ArtifactSummary}'s
 * shape) as PostgreSQL rendered it, to be copied into a page, a line or an event as it is.
 *
 * @param id the artifact's id, the list's tie-breaker
 * @param position the time the list is ordered by (creation, or joining the collection)
 * @param json the artifact's list representation
 */
record ListedArtifact(UUID id, Instant position, String json) {

	/** The position just after this artifact, for a cursor or an event id. */
	Cursor cursor() {
		return new Cursor(this.position, this.id);
	}

}
