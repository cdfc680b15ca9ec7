package dev.catalog.bench;

import java.lang.reflect.Field;

import dev.catalog.artifact.ArtifactQueries;

/**
 * Prints the service's own first-page list statement (no filter, no cursor, 50 + 1 rows, as
 * the handler asks for one more row to know whether there is a next page) as a pgbench custom
 * script, read from {@link ArtifactQueries} so the database ceiling always measures the
 * statement the service runs.
 */
public final class ListStatement {

	private ListStatement() {
	}

	public static void main(String[] args) throws ReflectiveOperationException {
		int limit = (args.length > 0) ? Integer.parseInt(args[0]) : 51;
		Field field = ArtifactQueries.class.getDeclaredField("ARTIFACT_PAGE");
		field.setAccessible(true);
		// pgbench sends :limit as a bind parameter under -M prepared, as the service does
		System.out.println("\\set limit " + limit);
		System.out.println(((String) field.get(null)).formatted("true").strip() + ";");
	}

}
