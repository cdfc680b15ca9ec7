/**
 * How the service uses PostgreSQL: write transactions with retry and cache notification
 * ({@link dev.catalog.db.Writes}, {@link dev.catalog.db.CatalogChanges}), what a database
 * failure means ({@link dev.catalog.db.DatabaseFailures}), the connection pool's settings, reads
 * sent to streaming replicas with read-your-writes by WAL position ({@link dev.catalog.db.Replicas}),
 * and the accounting of SQL statements per request.
 */
@NullMarked
package dev.catalog.db;

import org.jspecify.annotations.NullMarked;
