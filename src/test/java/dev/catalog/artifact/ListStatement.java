package dev.catalog.artifact;

/**
 * Prints the service's own first-page list statement (no filter, no cursor, 50 + 1 rows, as
 * the handler asks for one more row to know whether there is a next page) as a pgbench custom
 * script, read from {@link ArtifactQueries} so the database ceiling always measures the
 * statement the service runs. Used by {@code bench/run.sh}; it sits in the feature's package to
 * read the statement without widening its visibility further.
 */
public final class ListStatement {

	private ListStatement() {
	}

	public static void main(String[] args) {
		int limit = (args.length > 0) ? Integer.parseInt(args[0]) : 51;
		// pgbench sends :limit as a bind parameter under -M prepared, as the service does
		System.out.println("\\set limit " + limit);
		System.out.println(ArtifactQueries.ARTIFACT_PAGE.formatted("true").strip() + ";");
	}

}
