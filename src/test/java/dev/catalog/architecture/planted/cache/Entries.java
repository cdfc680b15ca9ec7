package dev.catalog.architecture.planted.cache;

import dev.catalog.architecture.planted.web.Problems;

/** Planted for {@code ArchitectureTests}: the cache uses web, as it may; web uses it back. */
public class Entries {

	public Problems problems() {
		return null;
	}

}
