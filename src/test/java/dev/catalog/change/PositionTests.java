package dev.catalog.change;

import java.time.Duration;

import dev.catalog.web.BadRequestException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PositionTests {

	@Test
	void aPositionSurvivesItsOwnEncoding() {
		Position position = new Position(123456789012L, 42);
		assertThat(Position.decode(position.encode())).isEqualTo(position);
	}

	@Test
	void positionsAreOrderedByCommitThenNumber() {
		assertThat(new Position(7, 100)).isLessThan(new Position(8, 1));
		assertThat(new Position(8, 1)).isLessThan(new Position(8, 2));
		// the fence of commit 8 lies before all of its changes and after those of 7
		assertThat(Position.fence(8)).isGreaterThan(new Position(7, Long.MAX_VALUE)).isLessThan(new Position(8, 1));
	}

	@Test
	void aPositionFromBeforeCommitsWereNumberedIsRetired() {
		assertThat(Position.decode("123456-42")).isEqualTo(Position.RETIRED);
		assertThat(Position.RETIRED.isRetired()).isTrue();
		assertThat(Position.decode("123456.42").isRetired()).isFalse();
	}

	@Test
	void anythingElseIsA400() {
		for (String text : new String[] { "", "-", ".", "12", "12-", "12.", "-3", ".3", "a.1", "1.b", "1..2", "1.-2",
				"1.2-3", "-1.2", "99999999999999999999.1", "99999999999999999999-1" }) {
			assertThatThrownBy(() -> Position.decode(text)).as(text).isInstanceOf(BadRequestException.class);
		}
	}

	@Test
	void theBufferMustHoldAWholeBatch() {
		assertThatThrownBy(() -> new ChangeProperties(Duration.ofHours(24), Duration.ofSeconds(15), 10, 100, 500,
				Duration.ofSeconds(5), Duration.ofMinutes(1), 4))
			.hasMessageContaining("catalog.changes.buffer");
	}

}
