package dev.catalog.db;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;

/**
 * The {@code SET} list of a partial update (a JSON merge patch): only the columns the patch
 * names are assigned, each from a named parameter, so the statement text and its bindings are
 * built in one place and cannot drift apart. Values are always bound, never spliced into SQL.
 */
public final class SetClause {

	private final List<String> assignments = new ArrayList<>();

	private final Map<String, Object> values = new LinkedHashMap<>();

	private SetClause() {
	}

	/** A clause starting with an assignment whose parameters the caller binds itself. */
	public static SetClause of(String assignment) {
		return new SetClause().add(assignment);
	}

	/** Adds {@code column = :column} bound to {@code value}, unless {@code value} is null. */
	public SetClause setIfPresent(String column, @Nullable Object value) {
		return (value != null) ? add(column + " = :" + column, column, value) : this;
	}

	/** Adds an assignment without parameters of its own. */
	public SetClause add(String assignment) {
		this.assignments.add(assignment);
		return this;
	}

	/** Adds an assignment that uses the named parameter, bound to {@code value}. */
	public SetClause add(String assignment, String parameter, Object value) {
		this.values.put(parameter, value);
		return add(assignment);
	}

	/** Binds the clause's parameters. */
	public GenericExecuteSpec bind(GenericExecuteSpec spec) {
		GenericExecuteSpec bound = spec;
		for (Map.Entry<String, Object> value : this.values.entrySet()) {
			bound = bound.bind(value.getKey(), value.getValue());
		}
		return bound;
	}

	/** The assignments, comma-separated, for after {@code SET}. */
	@Override
	public String toString() {
		return String.join(", ", this.assignments);
	}

}
