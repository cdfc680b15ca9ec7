package dev.catalog.cache;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Serves cacheable JSON reads. The body is rendered to bytes once, tagged with a strong ETag
 * (a digest of the bytes), and {@code If-None-Match} is answered with 304 and no body.
 * <p>
 * This is the seam where the shared Redis cache sits: {@code key} identifies the answer
 * (path, normalised parameters, representation) across instances.
 */
public class ResponseCache {

	private final JsonMapper json;

	public ResponseCache(JsonMapper json) {
		this.json = json;
	}

	/**
	 * Answers with the JSON rendering of what {@code body} emits; an empty {@code body} or an
	 * error is passed on (the error handler renders it).
	 */
	public Mono<ServerResponse> json(ServerRequest request, String key, Mono<?> body) {
		return body.map(this.json::writeValueAsBytes).flatMap((bytes) -> respond(request, bytes, etag(bytes)));
	}

	private static Mono<ServerResponse> respond(ServerRequest request, byte[] bytes, String etag) {
		if (request.headers().header("If-None-Match").stream().anyMatch((value) -> matches(value, etag))) {
			return ServerResponse.status(HttpStatus.NOT_MODIFIED).eTag(etag).header("X-Cache", "BYPASS").build();
		}
		return ServerResponse.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.eTag(etag)
			.header("X-Cache", "BYPASS")
			.bodyValue(bytes);
	}

	static boolean matches(String ifNoneMatch, String etag) {
		for (String candidate : ifNoneMatch.split(",")) {
			String trimmed = candidate.trim();
			if (trimmed.equals("*") || trimmed.equals(etag) || trimmed.equals("W/" + etag)) {
				return true;
			}
		}
		return false;
	}

	static String etag(byte[] bytes) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
			return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest).substring(0, 22) + "\"";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
