package dev.catalog.artifact;

import java.util.List;
import java.util.TreeSet;
import java.util.UUID;

import dev.catalog.web.BadRequestException;
import dev.catalog.web.Ids;
import org.jspecify.annotations.Nullable;

import org.springframework.web.reactive.function.server.ServerRequest;

/**
 * The filters of an artifact list, validated and normalised: tags sorted and distinct, so
 * that equal filters give equal cursors and cache keys whatever order the client sent.
 *
 * @param type only artifacts of this type, or {@code null}
 * @param tags only artifacts carrying all of these tags
 * @param collection only members of this collection, or {@code null}
 * @param q only artifacts whose name contains this, case-insensitively, or {@code null}
 */
public record ArtifactFilter(@Nullable String type, List<String> tags, @Nullable UUID collection, @Nullable String q) {

	static final int MAX_TAGS = 10;

	static final int MAX_TAG_LENGTH = 50;

	static final int MAX_QUERY_LENGTH = 200;

	public static final ArtifactFilter NONE = new ArtifactFilter(null, List.of(), null, null);

	/**
	 * Parses the raw query parameters.
	 * @throws BadRequestException naming the parameter that cannot be used
	 */
	public static ArtifactFilter parse(@Nullable String type, @Nullable List<String> tags, @Nullable String collection,
			@Nullable String q) {
		if (type != null && ArtifactType.of(type) == null) {
			throw new BadRequestException("Invalid parameter",
					"type must be one of " + ArtifactType.NAMES + ", not '" + type + "'.");
		}
		TreeSet<String> distinctTags = new TreeSet<>();
		if (tags != null) {
			for (String tag : tags) {
				if (tag.isBlank() || tag.length() > MAX_TAG_LENGTH || hasNul(tag)) {
					throw new BadRequestException("Invalid parameter",
							"tag must be 1 to " + MAX_TAG_LENGTH + " characters, without NUL.");
				}
				distinctTags.add(tag);
			}
		}
		if (distinctTags.size() > MAX_TAGS) {
			throw new BadRequestException("Invalid parameter", "At most " + MAX_TAGS + " tag filters.");
		}
		UUID collectionId = (collection != null) ? Ids.parse("collection", collection) : null;
		if (q != null && (q.isEmpty() || q.length() > MAX_QUERY_LENGTH || hasNul(q))) {
			throw new BadRequestException("Invalid parameter",
					"q must be 1 to " + MAX_QUERY_LENGTH + " characters, without NUL.");
		}
		return new ArtifactFilter(type, List.copyOf(distinctTags), collectionId, q);
	}

	/** PostgreSQL text cannot hold NUL: a filter with one would fail in the database (found by fuzzing). */
	private static boolean hasNul(String value) {
		return value.indexOf('\0') >= 0;
	}

	/**
	 * The filters of a request's query parameters {@code type}, {@code tag}, {@code collection}
	 * and {@code q}, as {@link #parse} reads them; any other parameter is not looked at.
	 * @throws BadRequestException naming the parameter that cannot be used
	 */
	static ArtifactFilter of(ServerRequest request) {
		return parse(request.queryParam("type").orElse(null), request.queryParams().get("tag"),
				request.queryParam("collection").orElse(null), request.queryParam("q").orElse(null));
	}

	ArtifactFilter withoutType() {
		return new ArtifactFilter(null, this.tags, this.collection, this.q);
	}

	ArtifactFilter withoutCollection() {
		return new ArtifactFilter(this.type, this.tags, null, this.q);
	}

	/**
	 * A canonical text of the filters: part of cursor signatures and cache keys. Values are
	 * escaped, so that different filters never have the same text.
	 */
	public String canonical() {
		StringBuilder text = new StringBuilder();
		if (this.type != null) {
			text.append("type=").append(this.type).append('&');
		}
		for (String tag : this.tags) {
			text.append("tag=").append(escape(tag)).append('&');
		}
		if (this.collection != null) {
			text.append("collection=").append(this.collection).append('&');
		}
		if (this.q != null) {
			text.append("q=").append(escape(this.q)).append('&');
		}
		return text.toString();
	}

	/** {@code %} first, so that a value holding {@code %26} stays apart from one holding {@code &}. */
	private static String escape(String value) {
		return value.replace("%", "%25").replace("&", "%26");
	}

}
