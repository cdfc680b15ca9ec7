package dev.catalog.db;

import io.r2dbc.spi.R2dbcNonTransientResourceException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RevalidatingConnectionFactoryTests {

	@Test
	void onlyValidationFailuresAreRetried() {
		assertThat(RevalidatingConnectionFactory
			.failedValidation(new R2dbcNonTransientResourceException(RevalidatingConnectionFactory.VALIDATION_FAILED)))
			.isTrue();
		assertThat(RevalidatingConnectionFactory.failedValidation(new R2dbcNonTransientResourceException("other")))
			.isFalse();
		assertThat(RevalidatingConnectionFactory
			.failedValidation(new IllegalStateException(RevalidatingConnectionFactory.VALIDATION_FAILED)))
			.isFalse();
	}

}
