package dev.catalog.artifact;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonRawValue;
import io.swagger.v3.oas.annotations.media.Schema;

/**
 * One artifact with everything about it: tags, metadata, versions (newest first) and its
 * collections with their sizes.
 *
 * @param metadata the metadata object as stored, written into the JSON as it is
 */
public record ArtifactDetail(UUID id, String name, String type, String description, List<String> tags,
		@JsonRawValue @Schema(types = { "object" }, description = "free-form JSON object") String metadata, List<ArtifactVersion> versions, Instant createdAt, Instant updatedAt,
		List<ArtifactCollection> collections) {

}
