package dev.catalog.web;

import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * One page of a list.
 * <p>
 * A page of {@code limit} items is read as {@link #rowsToRead(int) limit + 1} rows: the extra
 * row is never shown, it only tells whether another page follows, so the last page is known to
 * be the last without a second statement. {@link #of} makes the page from those rows.
 *
 * @param items the page's items, in the list's order
 * @param nextCursor where the next page starts, or {@code null} on the last page
 */
public record Page<T>(List<T> items, @Nullable String nextCursor) {

	/** How many rows to read for a page of {@code limit} items: one more. */
	public static int rowsToRead(int limit) {
		return limit + 1;
	}

	/**
	 * The page of at most {@code limit} items from rows read with {@link #rowsToRead(int)}.
	 * @param rows the rows, in the list's order
	 * @param cursorAfter the cursor of the position after an item; called only for the page's
	 * last item, and only when another page follows
	 */
	public static <T> Page<T> of(List<T> rows, int limit, Function<? super T, String> cursorAfter) {
		if (rows.size() <= limit) {
			return new Page<>(rows, null);
		}
		return new Page<>(rows.subList(0, limit), cursorAfter.apply(rows.get(limit - 1)));
	}

}
