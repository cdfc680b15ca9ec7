package dev.catalog.web;

import java.util.List;

/**
 * One page of a list.
 *
 * @param items the page's items, in the list's order
 * @param nextCursor where the next page starts, or {@code null} on the last page
 */
public record Page<T>(List<T> items, String nextCursor) {

}
