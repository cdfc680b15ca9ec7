package dev.catalog.change;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The change feed ({@code catalog.changes.*}).
 *
 * @param retention how long changes are kept; a client resuming from an older position is told
 * to reload its list ({@code reset})
 * @param heartbeat how often an idle stream gets a comment, so that proxies keep it open
 * @param maxSubscribers streams one instance serves at once; one more is answered 503
 * @param buffer changes held for one subscriber that has not taken them yet; one more ends its
 * stream (it resumes from the log); at least {@code batch-size}
 * @param batchSize changes read per statement, by the feed and by a resuming client
 * @param pollInterval how often the feed reads even without a notification (a safety net: a
 * notification can be lost while the listening connection reconnects)
 * @param pruneInterval how often each instance deletes changes older than the retention
 * @param connections the most connections of the feed's own pool (its reads and resuming
 * clients'), besides its one listening connection
 */
@ConfigurationProperties("catalog.changes")
record ChangeProperties(@DefaultValue("24h") Duration retention, @DefaultValue("15s") Duration heartbeat,
		@DefaultValue("10000") int maxSubscribers, @DefaultValue("1000") int buffer,
		@DefaultValue("500") int batchSize, @DefaultValue("5s") Duration pollInterval,
		@DefaultValue("1m") Duration pruneInterval, @DefaultValue("4") int connections) {

	ChangeProperties {
		requirePositive("retention", retention);
		requirePositive("heartbeat", heartbeat);
		requirePositive("poll-interval", pollInterval);
		requirePositive("prune-interval", pruneInterval);
		if (maxSubscribers < 0) {
			throw new IllegalArgumentException("catalog.changes.max-subscribers must not be negative");
		}
		if (connections < 1) {
			throw new IllegalArgumentException("catalog.changes.connections must be at least 1");
		}
		if (batchSize < 1 || batchSize > 10_000) {
			throw new IllegalArgumentException("catalog.changes.batch-size must be from 1 to 10000");
		}
		if (buffer < batchSize) {
			throw new IllegalArgumentException("catalog.changes.buffer must be at least catalog.changes.batch-size");
		}
	}

	private static void requirePositive(String name, Duration value) {
		if (value.isNegative() || value.isZero()) {
			throw new IllegalArgumentException("catalog.changes." + name + " must be positive, not " + value);
		}
	}

}
