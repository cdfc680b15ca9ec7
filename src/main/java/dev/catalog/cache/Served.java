package dev.catalog.cache;

/**
 * What answers a cacheable read, and where it came from.
 *
 * @param source where the answer came from, sent as {@code X-Cache}
 * @param entry the answer: its ETag and body, and for answers read from Redis its times
 */
record Served(Source source, CacheEntry entry) {

	/** The values of {@code X-Cache}. */
	enum Source {

		/** A fresh entry read from Redis. */
		HIT,

		/**
		 * An entry read from Redis, past its fresh window but inside its stale window, or past
		 * its stale window but inside its stale-if-error window while PostgreSQL fails.
		 */
		STALE,

		/** Loaded from PostgreSQL for this read (or by another instance for it) and stored. */
		MISS,

		/** Loaded from PostgreSQL and not stored: the cache is disabled or Redis is unavailable. */
		BYPASS;

		/** Whether the answer was read from Redis as stored earlier, so that it has an age. */
		boolean fromRedis() {
			return this == HIT || this == STALE;
		}

	}

}
