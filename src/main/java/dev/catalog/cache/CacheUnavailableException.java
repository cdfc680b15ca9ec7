package dev.catalog.cache;

/** Redis (or the generation check before using it) cannot be used now: answer from PostgreSQL. */
class CacheUnavailableException extends RuntimeException {

	CacheUnavailableException(Throwable cause) {
		super("The response cache is unavailable: " + cause, cause, false, false);
	}

}
