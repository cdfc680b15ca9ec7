package dev.catalog.cache;

/** What a cached entry is good for at a given time: see {@link CachePolicy#decide}. */
enum Freshness {

	/** Served as it is. */
	FRESH,

	/** Served as it is, and refreshed in the background now, shortly before it goes stale (XFetch). */
	REFRESH_EARLY,

	/** Past its fresh window, inside its stale window: served at once and refreshed in the background. */
	STALE,

	/**
	 * No entry, or past its stale window: the answer is loaded again. Whether the entry may still
	 * answer if that load fails is {@link CachePolicy#servesOnError}.
	 */
	EXPIRED

}
