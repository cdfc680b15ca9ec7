/**
 * Collections shared by link: {@code POST/GET /api/v1/collections/{id}/shares} and
 * {@code DELETE …/shares/{token}} manage unguessable links (256 random bits), and
 * {@code GET /s/{token}} is the public share page, server-rendered HTML with Open Graph and
 * Twitter card tags for link previews, served through the shared cache like the API's reads (a
 * hit is bytes from Redis, no SQL). A revoked link is a write like any other, so no instance
 * serves its page again once the revocation has answered.
 * <p>
 * Entry points: {@link dev.catalog.share.ShareRoutes} is the route table,
 * {@link dev.catalog.share.ShareConfiguration} builds it. Uses {@code cache}, {@code web} and
 * {@code db}; no other package uses this one.
 */
@NullMarked
package dev.catalog.share;

import org.jspecify.annotations.NullMarked;
