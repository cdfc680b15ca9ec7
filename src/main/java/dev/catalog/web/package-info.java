/**
 * What every HTTP feature stands on: problem+json errors, reading and validating JSON bodies,
 * signed keyset cursors, paging parameters and page assembly, ids, bearer tokens for writes, load
 * shedding, the server's event loops, the 406 every route table ends with
 * ({@link dev.catalog.web.Representations}), and the OpenAPI pieces the routes share.
 */
@NullMarked
package dev.catalog.web;

import org.jspecify.annotations.NullMarked;
