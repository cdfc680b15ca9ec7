package dev.catalog.artifact;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.catalog.db.FeedStreams;
import dev.catalog.web.BadRequestException;
import dev.catalog.web.Cursor;
import dev.catalog.web.CursorCodec;
import dev.catalog.web.HandedOffStreams;
import dev.catalog.web.StreamRequest;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.fn.builders.operation.Builder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springdoc.core.fn.builders.parameter.Builder.parameterBuilder;
import static org.springdoc.core.fn.builders.schema.Builder.schemaBuilder;

/**
 * Artifact list streams with {@code follow=true}: the snapshot, then, in the same response,
 * the change feed from the position taken before the snapshot's first read, filtered by the
 * list's collection and type (the feed's filters; the list's other filters have none there).
 * <p>
 * The feed subscription is made before anything is read, so a following list counts against
 * {@code catalog.changes.max-subscribers} (503 when full) as well as the client's open streams.
 * As Server-Sent Events, each snapshot event's id is the list cursor and the feed position
 * joined by {@code ~}, the {@code end} event's id is the position, and the feed's events carry
 * theirs: {@code Last-Event-ID} resumes wherever the stream broke off, within the snapshot (the
 * rest of it, then the feed from the original position) or within the feed (the feed alone).
 * As NDJSON, the artifact lines end with {@code {"type":"end","feedPosition":"..."}}, then come
 * the feed's lines; a broken stream resumes with {@code GET /api/v1/changes?after=}.
 */
class FollowingLists {

	private static final Pattern POSITION = Pattern.compile("\\d+[.-]\\d+");

	private final @Nullable FeedStreams feed;

	private final CursorCodec cursors;

	private final @Nullable HandedOffStreams streams;

	private final StreamPages pages;

	private final int chunkSize;

	/** @param feed and @param streams {@code null} where there is no feed (route slices): follow is refused */
	FollowingLists(@Nullable FeedStreams feed, CursorCodec cursors, @Nullable HandedOffStreams streams,
			StreamPages pages, int chunkSize) {
		this.feed = feed;
		this.pages = pages;
		this.cursors = cursors;
		this.streams = streams;
		this.chunkSize = chunkSize;
	}

	/** Whether the request asks to follow: {@code follow=true}; 400 for anything but true or false. */
	static boolean requested(ServerRequest request) {
		String follow = request.queryParam("follow").orElse("false");
		if (!follow.equals("true") && !follow.equals("false")) {
			throw new BadRequestException("Invalid parameter", "follow must be true or false, not '" + follow + "'.");
		}
		return follow.equals("true");
	}

	static void describe(Builder operation) {
		operation.parameter(parameterBuilder().in(ParameterIn.QUERY)
			.name("follow")
			.description("With text/event-stream or application/x-ndjson: after the list, the same response goes on "
					+ "with GET /api/v1/changes from the list's feedPosition, filtered by the list's collection and type "
					+ "(not by its other filters). As events, the ids resume wherever the stream broke off; as NDJSON, "
					+ "an {\"type\":\"end\",\"feedPosition\":...} line ends the list.")
			.schema(schemaBuilder().type("boolean")));
	}

	Mono<ServerResponse> sse(String list, ArtifactStream.PageSource source, @Nullable UUID collection,
			@Nullable String type, StreamRequest stream, @Nullable String lastEventId) {
		String cursor = stream.cursor();
		String position = null;
		boolean snapshot = true;
		if (lastEventId != null && !lastEventId.isBlank()) {
			int joint = lastEventId.lastIndexOf('~');
			if (joint >= 0) {
				cursor = lastEventId.substring(0, joint);
				position = lastEventId.substring(joint + 1);
			}
			else if (POSITION.matcher(lastEventId).matches()) {
				position = lastEventId;
				snapshot = false;
			}
			else {
				cursor = lastEventId;
			}
		}
		Cursor after = (cursor != null) ? this.cursors.decode(list, cursor) : null;
		boolean withSnapshot = snapshot;
		return feed().follow(position, collection, type, false).map((following) -> {
			String at = following.position();
			Flux<byte[]> head = !withSnapshot ? Flux.empty()
					: ArtifactStream.of(this.pages.routed(list, source, following.commit()), after, stream.max(),
							this.chunkSize)
						.map((artifact) -> bytes("id:" + this.cursors.encode(list, artifact.cursor()) + "~" + at
								+ "\nevent:artifact\ndata:" + artifact.json() + "\n\n"))
						.concatWith(Mono.fromSupplier(() -> bytes(
								"id:" + at + "\nevent:end\ndata:{\"feedPosition\":\"" + at + "\"}\n\n")));
			return followed(head, following);
		})
			.flatMap((body) -> ServerResponse.ok()
				.contentType(MediaType.TEXT_EVENT_STREAM)
				.header("X-Accel-Buffering", "no")
				.body((response, context) -> streams().write(response, body)));
	}

	Mono<ServerResponse> ndjson(String list, ArtifactStream.PageSource source, @Nullable UUID collection,
			@Nullable String type, StreamRequest stream) {
		Cursor after = (stream.cursor() != null) ? this.cursors.decode(list, stream.cursor()) : null;
		return feed().follow(null, collection, type, true).flatMap((following) -> {
			String at = following.position();
			Flux<byte[]> head = ArtifactStream
				.of(this.pages.routed(list, source, following.commit()), after, stream.max(), this.chunkSize)
				.map((artifact) -> bytes(artifact.json() + "\n"))
				.concatWith(Mono.fromSupplier(() -> bytes("{\"type\":\"end\",\"feedPosition\":\"" + at + "\"}\n")));
			Flux<byte[]> body = followed(head, following);
			return ServerResponse.ok()
				.contentType(MediaType.APPLICATION_NDJSON)
				.header(ArtifactLists.FEED_POSITION, at)
				.body((response, context) -> streams().write(response, body));
		});
	}

	/** The snapshot, then the feed; the subscription ends with the stream, however it ends. */
	private static Flux<byte[]> followed(Flux<byte[]> snapshot, FeedStreams.Following following) {
		return snapshot.concatWith(following.events()).doFinally((signal) -> following.release().run());
	}

	private FeedStreams feed() {
		if (this.feed == null) {
			throw new BadRequestException("Invalid parameter", "follow is not available: this service has no change feed.");
		}
		return this.feed;
	}

	private HandedOffStreams streams() {
		if (this.streams == null) {
			throw new IllegalStateException("no HandedOffStreams");
		}
		return this.streams;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
