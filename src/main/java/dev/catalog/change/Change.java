package dev.catalog.change;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One recorded change, as read from {@code catalog_changes}.
 *
 * @param position where it is in the feed
 * @param kind the event type, e.g. {@code artifact.updated}
 * @param collectionIds the collections it concerns: for an artifact event, those the artifact
 * was in before the change or is in after it
 * @param artifactTypes for an artifact event, its type before and after the change
 * @param data the event's JSON, serialized once for every subscriber
 * @param recordedAt when the write recorded it (PostgreSQL's clock), for the feed lag
 */
record Change(Position position, String kind, List<UUID> collectionIds, List<String> artifactTypes, String data,
		Instant recordedAt) {

}
