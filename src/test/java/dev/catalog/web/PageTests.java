package dev.catalog.web;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PageTests {

	@Test
	void aPageReadsOneRowMoreThanItShows() {
		assertThat(Page.rowsToRead(50)).isEqualTo(51);
	}

	@Test
	void fewerRowsThanTheLimitAreTheLastPage() {
		Page<String> page = Page.of(List.of("a", "b"), 3, (last) -> "after " + last);
		assertThat(page.items()).containsExactly("a", "b");
		assertThat(page.nextCursor()).isNull();
	}

	@Test
	void exactlyLimitRowsAreTheLastPage() {
		Page<String> page = Page.of(List.of("a", "b", "c"), 3, (last) -> "after " + last);
		assertThat(page.items()).containsExactly("a", "b", "c");
		assertThat(page.nextCursor()).isNull();
	}

	@Test
	void theExtraRowIsCutAndTheCursorPointsAfterTheLastItemShown() {
		List<String> asked = new ArrayList<>();
		Page<String> page = Page.of(List.of("a", "b", "c", "d"), 3, (last) -> {
			asked.add(last);
			return "after " + last;
		});
		assertThat(page.items()).containsExactly("a", "b", "c");
		assertThat(page.nextCursor()).isEqualTo("after c");
		assertThat(asked).containsExactly("c");
	}

}
