/**
 * What every HTTP feature stands on: problem+json errors, reading and validating JSON bodies,
 * signed keyset cursors, paging parameters of pages and streams and page assembly, ids, bearer
 * tokens for writes, load shedding, CORS and {@code Vary}, the server's event loops, the 406 every
 * route table ends with ({@link dev.catalog.web.Representations}), and the OpenAPI pieces the
 * routes share.
 * <p>
 * The web filters, in order: {@code VaryWebFilter}, {@code CrossOriginWebFilter} (answers
 * preflights), {@code InFlightLimitWebFilter}, {@code RateLimitWebFilter} (per-client limits; the buckets
 * are a {@link dev.catalog.web.SharedBuckets} that the cache layer implements over Redis), then {@code db}'s statement accounting, then
 * {@code ApiTokenWebFilter}.
 */
@NullMarked
package dev.catalog.web;

import org.jspecify.annotations.NullMarked;
