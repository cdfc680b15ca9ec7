package dev.catalog.web;

import java.math.BigDecimal;
import java.util.Map;
import java.util.function.BiConsumer;

import tools.jackson.databind.JsonNode;

/**
 * What a JSON value stored as PostgreSQL {@code jsonb} (metadata) may hold: no NUL and no
 * unpaired surrogate in any key or string ({@link TextRules}), no number beyond
 * {@code numeric}'s range, and objects and arrays nested at most {@value #MAX_DEPTH} levels,
 * since a merge patch walks them recursively.
 */
final class StorableJson {

	static final int MAX_DEPTH = 32;

	private StorableJson() {
	}

	/**
	 * Reports every problem of {@code value} to {@code problems} with the path of the offending
	 * member ({@code metadata.a[0]}); reports nothing if it can be stored.
	 * @param depth how deep {@code value} itself is: 1 for a member of the body
	 */
	static void check(String path, JsonNode value, int depth, BiConsumer<String, String> problems) {
		if (value.isContainer() && depth > MAX_DEPTH) {
			problems.accept(path, "nests deeper than " + MAX_DEPTH + " levels");
			return;
		}
		if (value.isObject()) {
			for (Map.Entry<String, JsonNode> member : value.properties()) {
				String problem = TextRules.problem(member.getKey(), 0, Integer.MAX_VALUE, false);
				if (problem != null) {
					problems.accept(path, "has a key that cannot be stored: it " + problem);
				}
				else {
					check(path + "." + member.getKey(), member.getValue(), depth + 1, problems);
				}
			}
		}
		else if (value.isArray()) {
			for (int i = 0; i < value.size(); i++) {
				check(path + "[" + i + "]", value.get(i), depth + 1, problems);
			}
		}
		else if (value.isString()) {
			String problem = TextRules.problem(value.stringValue(), 0, Integer.MAX_VALUE, false);
			if (problem != null) {
				problems.accept(path, problem);
			}
		}
		else if (value.isNumber() && !value.isIntegralNumber()) {
			BigDecimal number = value.decimalValue();
			// PostgreSQL numeric: up to 131072 digits before the point and 16383 after
			if (number.precision() - number.scale() > 131072 || number.scale() > 16383) {
				problems.accept(path, "is a number out of the storable range");
			}
		}
	}

}
