package dev.catalog.embedded;

/**
 * The configuration names a PostgreSQL or Redis the service cannot use (or names none where
 * this build has no embedded one to offer). Thrown before any bean exists and rendered by
 * {@link UnusableServerConfigurationFailureAnalyzer} as the reason the service did not start.
 */
class UnusableServerConfigurationException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	private final String action;

	UnusableServerConfigurationException(String description, String action) {
		super(description);
		this.action = action;
	}

	String action() {
		return this.action;
	}

}
