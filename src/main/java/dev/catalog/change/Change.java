package dev.catalog.change;

import java.nio.charset.StandardCharsets;
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
 * @param event the change as a whole Server-Sent Event, encoded once for every subscriber
 */
record Change(Position position, String kind, List<UUID> collectionIds, List<String> artifactTypes, String data,
		Instant recordedAt, byte[] event) {

	Change(Position position, String kind, List<UUID> collectionIds, List<String> artifactTypes, String data,
			Instant recordedAt) {
		this(position, kind, collectionIds, artifactTypes, data, recordedAt,
				("id:" + position.encode() + "\nevent:" + kind + "\ndata:" + data + "\n\n")
					.getBytes(StandardCharsets.UTF_8));
	}

}
