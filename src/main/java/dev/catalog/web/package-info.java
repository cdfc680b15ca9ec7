/**
 * What every HTTP feature stands on: problem+json errors, reading and validating JSON bodies,
 * signed keyset cursors and paging parameters, ids, bearer tokens for writes, load shedding, the
 * server's event loops, and the OpenAPI pieces the routes share.
 */
package dev.catalog.web;
