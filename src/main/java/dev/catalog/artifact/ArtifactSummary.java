package dev.catalog.artifact;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * An artifact in a list: what it is, its tags, and every collection it belongs to with that
 * collection's size.
 *
 * @param position the time the list is ordered by (creation, or joining the collection); not
 * part of the JSON, it is what a cursor points at
 */
public record ArtifactSummary(UUID id, String name, String type, String description, List<String> tags,
		Instant createdAt, Instant updatedAt, List<ArtifactCollection> collections, @JsonIgnore Instant position) {

}
