package dev.catalog.collection;

import java.time.Instant;
import java.util.UUID;

/**
 * A collection with its exact number of members.
 */
public record CollectionSummary(UUID id, String name, String description, long artifactCount, Instant createdAt,
		Instant updatedAt) {

}
