package dev.catalog.architecture.planted.web;

import dev.catalog.architecture.planted.cache.Entries;

/** Planted for {@code ArchitectureTests}: web reaches up into the cache, closing a cycle. */
public class Problems {

	public Entries entries() {
		return new Entries();
	}

}
