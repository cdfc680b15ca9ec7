package dev.catalog.cache;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.catalog.web.BadRequestException;
import dev.catalog.web.NotFoundException;
import dev.catalog.web.ServiceUnavailableException;
import dev.catalog.web.UnprocessableException;
import io.r2dbc.spi.R2dbcTransientResourceException;
import org.junit.jupiter.api.Test;

import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which failed loads let an entry past its stale window answer: outages, never the request's own faults. */
class StaleIfErrorTests {

	@Test
	void aRequestAtFaultGetsItsOwnErrorNotAStaleAnswer() {
		assertThat(ResponseCache.isOutage(new NotFoundException("artifact", UUID.randomUUID()))).isFalse();
		assertThat(ResponseCache.isOutage(new BadRequestException("Invalid cursor", "no"))).isFalse();
		assertThat(ResponseCache.isOutage(new UnprocessableException("no", List.of()))).isFalse();
	}

	@Test
	void aDatabaseThatCannotAnswerLetsTheStaleEntryAnswer() {
		assertThat(ResponseCache.isOutage(new DataAccessResourceFailureException("down",
				new R2dbcTransientResourceException("connection refused")))).isTrue();
		assertThat(ResponseCache.isOutage(new ServiceUnavailableException("slow", Duration.ofSeconds(1), null)))
			.isTrue();
	}

}
