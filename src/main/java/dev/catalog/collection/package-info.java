/**
 * Collections and memberships: the collection list and detail, and the writes that keep every
 * {@code artifactCount} exact in the same transaction as the membership change (statement-level
 * triggers, one global lock order, a bounded retry for deadlock victims).
 */
package dev.catalog.collection;
