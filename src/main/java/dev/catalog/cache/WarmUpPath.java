package dev.catalog.cache;

/**
 * A read that the cache loads when the service has started (see {@link CacheWarmUp}): features
 * declare one bean per hot entry point, so the cache never needs to know their paths.
 *
 * @param path the path and query of a cacheable JSON read, e.g. {@code /api/v1/stats}
 */
public record WarmUpPath(String path) {

	public WarmUpPath {
		if (path == null || !path.startsWith("/")) {
			throw new IllegalArgumentException("A warm-up path starts with '/', not " + path);
		}
	}

}
