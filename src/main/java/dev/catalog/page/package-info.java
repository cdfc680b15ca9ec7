/**
 * The catalog page at {@code /}: a browser client of the API, written as plain ES modules
 * under {@code static/} in the jar (no build step, nothing from a CDN). This package only
 * serves its HTML with the page's {@code Content-Security-Policy}; the scripts and style sheet
 * are static resources.
 * <p>
 * Entry points: {@link dev.catalog.page.PageRoutes}; uses nothing of the other packages.
 */
@NullMarked
package dev.catalog.page;

import org.jspecify.annotations.NullMarked;
