/**
 * The Redis side of the service: the shared Lettuce connection, its health, and the response
 * cache every cacheable read goes through, with the hook writes use to invalidate it.
 */
package dev.catalog.cache;
