/**
 * The live change feed ({@code GET /api/v1/changes}): every committed write, in order, pushed
 * to subscribers on every instance, resumable from a position.
 * <p>
 * Changes are recorded by database triggers in the write's own transaction (migration 007,
 * table {@code catalog_changes}), so nothing uncommitted is announced and nothing committed is
 * lost; each transaction that recorded changes is numbered as it commits (migration 040, table
 * {@code catalog_commits}), so the feed is in commit order without gaps. Each instance has one
 * {@link dev.catalog.change.ChangeFeed}: woken by PostgreSQL
 * {@code NOTIFY} (and a slow poll), it reads each batch of new changes once, in one statement,
 * and offers it to every subscriber's bounded buffer. Entry points: {@link
 * dev.catalog.change.ChangeRoutes} (route table), {@link dev.catalog.change.ChangeConfiguration}.
 * Nothing else depends on this package; artifact lists learn the feed position through
 * {@code dev.catalog.db.FeedHead} and continue with the feed ({@code follow=true}) through
 * {@code dev.catalog.db.FeedStreams}. Stream bodies are written once WebFlux is done with their
 * request ({@code dev.catalog.web.HandedOffStreams}).
 */
@NullMarked
package dev.catalog.change;

import org.jspecify.annotations.NullMarked;
