package dev.catalog.artifact;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Exact counts of the artifacts matching the list's filters, for a UI to show beside the list.
 *
 * @param total the artifacts matching every filter
 * @param types for each type, every type present (0 if none), the artifacts matching every
 * filter but {@code type} that are of that type: what choosing that type would give
 * @param tags the tags on the most artifacts matching every filter, most first, then by tag
 * @param collections the collections holding the most artifacts matching every filter, most
 * first, then by name, then by id
 */
public record ArtifactFacets(long total, Map<String, Long> types, List<TagCount> tags,
		List<CollectionCount> collections) {

	/**
	 * @param tag the tag
	 * @param count the matching artifacts that carry it
	 */
	public record TagCount(String tag, long count) {

	}

	/**
	 * @param id the collection's id
	 * @param name its name
	 * @param count the matching artifacts it holds (not its size: that is its artifactCount)
	 */
	public record CollectionCount(UUID id, String name, long count) {

	}

}
