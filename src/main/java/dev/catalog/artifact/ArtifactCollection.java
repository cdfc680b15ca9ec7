package dev.catalog.artifact;

import java.util.UUID;

/**
 * A collection as seen from one of its artifacts.
 *
 * @param id the collection's id
 * @param name its name
 * @param artifactCount its exact number of members
 */
public record ArtifactCollection(UUID id, String name, long artifactCount) {

}
