package dev.catalog.web;

import java.time.Instant;
import java.util.UUID;

/**
 * A keyset position: the sort value and id of the last row a client has seen.
 *
 * @param at the sort timestamp of that row (creation or membership time, per list)
 * @param id its id, which breaks ties
 */
public record Cursor(Instant at, UUID id) {

}
