package dev.catalog.artifact;

import java.time.Instant;

/**
 * One released version of an artifact.
 *
 * @param version the version string
 * @param releasedAt when it was released
 */
public record ArtifactVersion(String version, Instant releasedAt) {

}
