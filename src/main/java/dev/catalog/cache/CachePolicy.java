package dev.catalog.cache;

import org.jspecify.annotations.Nullable;

/**
 * When a cached entry is served, refreshed or loaded again: pure functions of the entry's times
 * (set once, when it was loaded, see {@link CacheEntry#create}), the time now and, for early
 * refresh, a random number, so every instance decides the same for the same inputs. Windows
 * are half-open: an entry is fresh before {@code freshUntil}, stale from then until
 * {@code staleUntil}, and may answer on error until {@code errorUntil}.
 *
 * @param earlyRefreshBeta XFetch's beta (Vattani et al. 2015): how eagerly a fresh entry is
 * refreshed before it goes stale; 0 never refreshes early, 1 is the paper's default
 */
record CachePolicy(double earlyRefreshBeta) {

	static CachePolicy of(CacheProperties properties) {
		return new CachePolicy(properties.earlyRefreshBeta());
	}

	/**
	 * What {@code entry} is good for at {@code now}.
	 * @param entry the entry of the current generation, or {@code null} if there is none
	 * @param now epoch milliseconds of the cache's clock
	 * @param random uniform in (0, 1], drawn per request: the chance of an early refresh grows
	 * as {@code freshUntil} nears and with the time the entry took to load
	 */
	Freshness decide(@Nullable CacheEntry entry, long now, double random) {
		if (entry == null) {
			return Freshness.EXPIRED;
		}
		if (now < entry.freshUntil()) {
			return refreshesEarly(entry, now, random) ? Freshness.REFRESH_EARLY : Freshness.FRESH;
		}
		return (now < entry.staleUntil()) ? Freshness.STALE : Freshness.EXPIRED;
	}

	/**
	 * Whether {@code entry} may answer at {@code now} when loading it again failed because
	 * PostgreSQL is down or overloaded (stale-if-error).
	 */
	boolean servesOnError(@Nullable CacheEntry entry, long now) {
		return entry != null && now < entry.errorUntil();
	}

	/** XFetch: {@code now - delta * beta * ln(random) >= freshUntil}, delta the load time (at least 1 ms). */
	private boolean refreshesEarly(CacheEntry entry, long now, double random) {
		if (this.earlyRefreshBeta <= 0) {
			return false;
		}
		return now - Math.max(1, entry.loadMillis()) * this.earlyRefreshBeta * Math.log(random) >= entry.freshUntil();
	}

}
