/**
 * Artifacts: the list (JSON pages, NDJSON and Server-Sent Event streams), the detail, the
 * members of a collection (an artifact list too), and the writes. Each read is one hand-written
 * SQL statement that brings the page's tags, collections and exact collection sizes with it;
 * streams read keyset chunks paced by the reader's demand.
 */
package dev.catalog.artifact;
