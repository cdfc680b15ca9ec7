/**
 * How the service uses PostgreSQL: write transactions with retry and cache notification
 * ({@link dev.catalog.db.Writes}, {@link dev.catalog.db.CatalogChanges}), what a database
 * failure means ({@link dev.catalog.db.DatabaseFailures}), the connection pool's settings, reads
 * sent to streaming replicas with read-your-writes by WAL position ({@link dev.catalog.db.Replicas}),
 * the accounting of SQL statements per request, and what the change feed offers the features
 * that read lists ({@link dev.catalog.db.FeedHead}, {@link dev.catalog.db.FeedStreams}).
 */
@NullMarked
package dev.catalog.db;

import org.jspecify.annotations.NullMarked;
