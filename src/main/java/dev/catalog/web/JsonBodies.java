package dev.catalog.web;

import java.util.List;

import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;

/**
 * Reads the JSON body of a write, refusing before anything is changed: 415 for a missing or
 * other content type, 413 for more than {@link #MAX_BYTES} (by {@code Content-Length}
 * before reading, and by counting while reading for chunked bodies), 400 for an empty body,
 * malformed JSON, trailing content or a duplicated member name. What the JSON means is checked
 * afterwards, with {@link JsonFields}.
 * <p>
 * Numbers with a fraction or exponent are read as {@code BigDecimal}, so metadata is stored
 * exactly as sent, never rounded through a {@code double}.
 */
public class JsonBodies {

	/** The largest body a write accepts: 1 MiB. */
	public static final int MAX_BYTES = 1024 * 1024;

	public static final MediaType MERGE_PATCH = MediaType.parseMediaType("application/merge-patch+json");

	/** What a POST or PUT body may be. */
	public static final List<MediaType> JSON = List.of(MediaType.APPLICATION_JSON);

	/** What a PATCH body may be: RFC 7396 merge patch, or plain JSON meaning the same. */
	public static final List<MediaType> PATCH = List.of(MERGE_PATCH, MediaType.APPLICATION_JSON);

	private final ObjectReader reader;

	public JsonBodies(JsonMapper json) {
		this.reader = json.readerFor(JsonNode.class)
			.with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
			.with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
	}

	/** The body as a tree; fails with the exceptions that answer 400, 413 or 415. */
	public Mono<JsonNode> read(ServerRequest request, List<MediaType> accepted) {
		return Mono.defer(() -> {
			checkContentType(request, accepted);
			if (request.headers().contentLength().orElse(-1) > MAX_BYTES) {
				return Mono.error(new DataBufferLimitException("Body over " + MAX_BYTES + " bytes"));
			}
			return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), MAX_BYTES)
				.map(JsonBodies::bytes)
				.defaultIfEmpty(new byte[0])
				.map(this::parse);
		});
	}

	private static void checkContentType(ServerRequest request, List<MediaType> accepted) {
		MediaType type;
		try {
			type = request.headers().contentType().orElse(null);
		}
		catch (InvalidMediaTypeException ex) {
			throw new UnsupportedMediaTypeStatusException("Invalid Content-Type", accepted);
		}
		if (type == null || accepted.stream().noneMatch((candidate) -> candidate.equalsTypeAndSubtype(type))) {
			throw new UnsupportedMediaTypeStatusException(type, accepted);
		}
	}

	private static byte[] bytes(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	JsonNode parse(byte[] body) {
		if (isBlank(body)) {
			throw new BadRequestException("Malformed body", "This request needs a JSON body.");
		}
		try {
			return this.reader.readTree(body);
		}
		catch (JacksonException ex) {
			throw new BadRequestException("Malformed body", "The body is not well-formed JSON: " + ex.getOriginalMessage()
					+ ((ex.getLocation() != null) ? " (line " + ex.getLocation().getLineNr() + ", column "
							+ ex.getLocation().getColumnNr() + ")" : "")
					+ ".");
		}
	}

	private static boolean isBlank(byte[] body) {
		for (byte b : body) {
			if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
				return false;
			}
		}
		return true;
	}

}
