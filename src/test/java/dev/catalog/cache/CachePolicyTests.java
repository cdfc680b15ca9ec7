package dev.catalog.cache;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CachePolicyTests {

	private static final long FRESH_UNTIL = 10_000;

	private static final long STALE_UNTIL = 20_000;

	private static final long ERROR_UNTIL = 30_000;

	private final CachePolicy policy = new CachePolicy(1.0);

	@Test
	void entryIsFreshUntilJustBeforeFreshUntilAndStaleAtIt() {
		CacheEntry entry = entry(1);
		assertThat(this.policy.decide(entry, 0, 1.0)).isEqualTo(Freshness.FRESH);
		assertThat(this.policy.decide(entry, FRESH_UNTIL - 1, 1.0)).isEqualTo(Freshness.FRESH);
		assertThat(this.policy.decide(entry, FRESH_UNTIL, 1.0)).isEqualTo(Freshness.STALE);
	}

	@Test
	void entryIsStaleUntilJustBeforeStaleUntilAndExpiredAtIt() {
		CacheEntry entry = entry(1);
		assertThat(this.policy.decide(entry, STALE_UNTIL - 1, 1.0)).isEqualTo(Freshness.STALE);
		assertThat(this.policy.decide(entry, STALE_UNTIL, 1.0)).isEqualTo(Freshness.EXPIRED);
		assertThat(this.policy.decide(entry, ERROR_UNTIL, 1.0)).isEqualTo(Freshness.EXPIRED);
	}

	@Test
	void noEntryIsExpiredAndCannotAnswerOnError() {
		assertThat(this.policy.decide(null, 0, 1.0)).isEqualTo(Freshness.EXPIRED);
		assertThat(this.policy.servesOnError(null, 0)).isFalse();
	}

	@Test
	void entryServesOnErrorUntilJustBeforeErrorUntil() {
		CacheEntry entry = entry(1);
		assertThat(this.policy.servesOnError(entry, STALE_UNTIL)).isTrue();
		assertThat(this.policy.servesOnError(entry, ERROR_UNTIL - 1)).isTrue();
		assertThat(this.policy.servesOnError(entry, ERROR_UNTIL)).isFalse();
	}

	@Test
	void earlyRefreshIsDrawnWithinTheLoadTimeScaledByMinusLnRandomBeforeFreshUntil() {
		// ln(0.5) = -0.693..., so a 1,000 ms load refreshes early from 693.1 ms before freshUntil
		CacheEntry entry = entry(1_000);
		assertThat(this.policy.decide(entry, FRESH_UNTIL - 694, 0.5)).isEqualTo(Freshness.FRESH);
		assertThat(this.policy.decide(entry, FRESH_UNTIL - 693, 0.5)).isEqualTo(Freshness.REFRESH_EARLY);
		assertThat(this.policy.decide(entry, FRESH_UNTIL - 1, 0.5)).isEqualTo(Freshness.REFRESH_EARLY);
	}

	@Test
	void betaScalesHowEarlyAnEntryIsRefreshed() {
		CacheEntry entry = entry(1_000);
		CachePolicy eager = new CachePolicy(2.0);
		assertThat(eager.decide(entry, FRESH_UNTIL - 1_387, 0.5)).isEqualTo(Freshness.FRESH);
		assertThat(eager.decide(entry, FRESH_UNTIL - 1_386, 0.5)).isEqualTo(Freshness.REFRESH_EARLY);
	}

	@Test
	void aRandomOfOneNeverRefreshesEarly() {
		assertThat(this.policy.decide(entry(1_000_000), FRESH_UNTIL - 1, 1.0)).isEqualTo(Freshness.FRESH);
	}

	@Test
	void aLoadTimeOfZeroCountsAsOneMillisecond() {
		// ln(0.1) = -2.30...
		CacheEntry entry = entry(0);
		assertThat(this.policy.decide(entry, FRESH_UNTIL - 3, 0.1)).isEqualTo(Freshness.FRESH);
		assertThat(this.policy.decide(entry, FRESH_UNTIL - 2, 0.1)).isEqualTo(Freshness.REFRESH_EARLY);
	}

	@Test
	void betaZeroDisablesEarlyRefresh() {
		CachePolicy off = new CachePolicy(0.0);
		CacheEntry entry = entry(1_000_000);
		assertThat(off.decide(entry, 0, Double.MIN_VALUE)).isEqualTo(Freshness.FRESH);
		assertThat(off.decide(entry, FRESH_UNTIL - 1, Double.MIN_VALUE)).isEqualTo(Freshness.FRESH);
	}

	@Test
	void staleEntriesAreStaleWhateverTheRandomNumber() {
		assertThat(this.policy.decide(entry(1_000), FRESH_UNTIL, Double.MIN_VALUE)).isEqualTo(Freshness.STALE);
	}

	@Test
	void policyReadsBetaFromTheProperties() {
		CacheProperties properties = new CacheProperties(null, null, null, null, null, null, null, null, 0.0, null,
				null, null, null, null, null);
		assertThat(CachePolicy.of(properties).earlyRefreshBeta()).isZero();
	}

	private static CacheEntry entry(int loadMillis) {
		return new CacheEntry(1, 0, FRESH_UNTIL, STALE_UNTIL, ERROR_UNTIL, loadMillis, "\"e\"", new byte[0], 0);
	}

}
