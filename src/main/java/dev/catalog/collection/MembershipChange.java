package dev.catalog.collection;

import java.util.List;
import java.util.UUID;

/**
 * What a membership batch did.
 *
 * @param added the artifacts that joined (those already members are not listed), in request order
 * @param removed the artifacts that left (those that were not members are not listed), in request order
 * @param artifactCount the collection's exact number of members once the batch committed
 */
record MembershipChange(List<UUID> added, List<UUID> removed, long artifactCount) {

}
