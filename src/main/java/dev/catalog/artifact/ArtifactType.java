package dev.catalog.artifact;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

/** The kinds of artifact the catalog holds; the database enforces the same list. */
public enum ArtifactType {

	SKILL, COMMAND, AGENT, MCP, HOOK;

	public static final List<String> NAMES = Arrays.stream(values()).map(ArtifactType::value).toList();

	/** The name used in JSON, query parameters and the database. */
	public String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** @return the type with this name, or {@code null} */
	public static @Nullable ArtifactType of(String value) {
		for (ArtifactType type : values()) {
			if (type.value().equals(value)) {
				return type;
			}
		}
		return null;
	}

}
