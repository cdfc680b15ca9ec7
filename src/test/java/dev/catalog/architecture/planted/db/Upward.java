package dev.catalog.architecture.planted.db;

import dev.catalog.architecture.planted.web.Problems;

/** Planted for {@code ArchitectureTests}: db imports web, which sits above it. */
public class Upward {

	public Problems problems() {
		return new Problems();
	}

}
