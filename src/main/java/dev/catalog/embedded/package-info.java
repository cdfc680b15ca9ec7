/**
 * The default run's own PostgreSQL and Redis (real server binaries delivered through Maven) and
 * the seeding of a demo catalog. Wired in only through {@code META-INF} (an environment
 * post-processor and an auto-configuration); no other package of the service refers to this one.
 */
@NullMarked
package dev.catalog.embedded;

import org.jspecify.annotations.NullMarked;
