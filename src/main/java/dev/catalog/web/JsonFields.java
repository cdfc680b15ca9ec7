package dev.catalog.web;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Checks the members of a JSON object body, collecting every problem before answering, so
 * that one 422 lists them all ({@link UnprocessableException}, each with the field and the
 * reason). A member the body may not have is a problem too: a misspelt field would otherwise
 * be silently ignored.
 * <p>
 * Text is measured in Unicode code points and must be storable ({@link TextRules}); names and
 * tags are single lines. A JSON object member must be storable as {@code jsonb}
 * ({@link StorableJson}).
 */
public final class JsonFields {

	/** How deep a JSON object member (metadata) may nest objects and arrays. */
	public static final int MAX_DEPTH = StorableJson.MAX_DEPTH;

	/** The times PostgreSQL's timestamptz can hold, and then some margin: years 1 to 9999. */
	private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

	private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

	private final JsonNode object;

	private final List<UnprocessableException.FieldError> errors = new ArrayList<>();

	private JsonFields(JsonNode object) {
		this.object = object;
	}

	/**
	 * @throws UnprocessableException if the body is not an object
	 */
	public static JsonFields of(JsonNode body, Set<String> allowed) {
		if (!body.isObject()) {
			throw new UnprocessableException("The body must be a JSON object.",
					List.of(new UnprocessableException.FieldError("", "must be a JSON object, not " + kind(body))));
		}
		JsonFields fields = new JsonFields(body);
		for (String name : body.propertyNames()) {
			if (!allowed.contains(name)) {
				fields.error(name, "unknown field; allowed are " + String.join(", ", new TreeSet<>(allowed)));
			}
		}
		return fields;
	}

	/** Whether the member is there at all (a JSON {@code null} counts). */
	public boolean present(String field) {
		return this.object.has(field);
	}

	/** Whether the member is there and is JSON {@code null}: in a merge patch, "remove it". */
	public boolean isNull(String field) {
		return this.object.has(field) && this.object.get(field).isNull();
	}

	public void error(String field, String reason) {
		this.errors.add(new UnprocessableException.FieldError(field, reason));
	}

	/** Throws the 422 if any problem was found. */
	public void validate(String detail) {
		if (!this.errors.isEmpty()) {
			throw new UnprocessableException(detail, this.errors);
		}
	}

	/**
	 * A string member of {@code min} to {@code max} code points; {@code null} if absent, JSON
	 * null, or invalid (the problem is recorded).
	 * @param line whether it must be a single line: no control characters, not blank
	 */
	public @Nullable String string(String field, boolean required, int min, int max, boolean line) {
		JsonNode value = this.object.get(field);
		if (value == null || value.isNull()) {
			if (required) {
				error(field, (value == null) ? "is required" : "must not be null");
			}
			return null;
		}
		if (!value.isString()) {
			error(field, "must be a string, not " + kind(value));
			return null;
		}
		String problem = TextRules.problem(value.stringValue(), min, max, line);
		if (problem != null) {
			error(field, problem);
			return null;
		}
		return value.stringValue();
	}

	/**
	 * An array of distinct strings (duplicates are dropped, order is kept); {@code null} if
	 * absent, JSON null or invalid.
	 */
	public @Nullable List<String> strings(String field, int maxItems, int maxLength) {
		JsonNode value = this.object.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isArray()) {
			error(field, "must be an array of strings, not " + kind(value));
			return null;
		}
		if (value.size() > maxItems) {
			error(field, "must have at most " + maxItems + " items, not " + value.size());
			return null;
		}
		Set<String> items = new LinkedHashSet<>();
		boolean valid = true;
		for (int i = 0; i < value.size(); i++) {
			JsonNode item = value.get(i);
			String problem = item.isString() ? TextRules.problem(item.stringValue(), 1, maxLength, true)
					: "must be a string, not " + kind(item);
			if (problem != null) {
				error(field + "[" + i + "]", problem);
				valid = false;
			}
			else {
				items.add(item.stringValue());
			}
		}
		return valid ? List.copyOf(items) : null;
	}

	/**
	 * An array of artifact ids: UUID strings, none twice; {@code null} if absent or JSON null,
	 * and also if invalid (the problems are recorded).
	 */
	public @Nullable List<UUID> ids(String field) {
		JsonNode value = this.object.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isArray()) {
			error(field, "must be an array of ids, not " + kind(value));
			return null;
		}
		List<UUID> ids = new ArrayList<>(value.size());
		Set<UUID> seen = new HashSet<>();
		boolean valid = true;
		for (int i = 0; i < value.size(); i++) {
			JsonNode item = value.get(i);
			UUID id = item.isString() ? uuid(item.stringValue()) : null;
			if (id == null) {
				error(field + "[" + i + "]", "must be a UUID string");
				valid = false;
			}
			else if (!seen.add(id)) {
				error(field + "[" + i + "]", "lists " + id + " a second time");
				valid = false;
			}
			else {
				ids.add(id);
			}
		}
		return valid ? ids : null;
	}

	/** A JSON object member, checked to be storable; {@code null} if absent, JSON null or invalid. */
	public @Nullable JsonNode object(String field) {
		JsonNode value = this.object.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (!value.isObject()) {
			error(field, "must be a JSON object, not " + kind(value));
			return null;
		}
		int before = this.errors.size();
		StorableJson.check(field, value, 1, this::error);
		return (this.errors.size() == before) ? value : null;
	}

	/** An ISO-8601 time with an offset; {@code null} if absent, JSON null or invalid. */
	public @Nullable Instant instant(String field) {
		JsonNode value = this.object.get(field);
		if (value == null || value.isNull()) {
			return null;
		}
		if (value.isString()) {
			try {
				Instant instant = OffsetDateTime.parse(value.stringValue()).toInstant();
				if (!instant.isBefore(EARLIEST) && !instant.isAfter(LATEST)) {
					return instant;
				}
				error(field, "must be between years 1 and 9999");
				return null;
			}
			catch (DateTimeParseException ex) {
				// answered below
			}
		}
		error(field, "must be an ISO-8601 time with an offset, e.g. 2025-01-31T12:00:00Z");
		return null;
	}

	private static @Nullable UUID uuid(String text) {
		try {
			return (text.length() == 36) ? UUID.fromString(text) : null;
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	private static String kind(JsonNode node) {
		return switch (node.getNodeType()) {
			case OBJECT -> "an object";
			case ARRAY -> "an array";
			case STRING -> "a string";
			case NUMBER -> "a number";
			case BOOLEAN -> "a boolean";
			case NULL -> "null";
			default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
		};
	}

}
