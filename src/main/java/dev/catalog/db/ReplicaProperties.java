package dev.catalog.db;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * PostgreSQL streaming replicas that take the reads which need not see a write this instance
 * is making ({@code catalog.db.replicas}, {@code catalog.db.replica-*}); see {@link Replicas}.
 *
 * @param replicas R2DBC URLs of hot standbys of the primary ({@code spring.r2dbc.url}); user
 * name and password are the primary's ({@code spring.r2dbc.username/password}) unless the URL
 * has its own. Each gets its own pool, sized like the primary's ({@code spring.r2dbc.pool.*}).
 * Empty: every statement goes to the primary and writes run no extra statement.
 * @param replicaMaxLag a replica that has held WAL it received ({@code pg_last_wal_receive_lsn()})
 * without replaying it ({@code pg_last_wal_replay_lsn()}) for longer than this, as its checks
 * see it, is skipped until it catches up; a replica with nothing left to replay is never
 * lagging, however old its last replayed transaction (an idle primary). Reads never depend on
 * it for correctness (the WAL position guard does that); it keeps reads off a replica that
 * would mostly send them back to the primary
 * @param replicaCheckInterval how often each replica's state (up, a standby, its lag) is
 * checked; a replica that failed a read is skipped until a check finds it well again
 */
@ConfigurationProperties("catalog.db")
public record ReplicaProperties(@DefaultValue List<String> replicas, @DefaultValue("1s") Duration replicaMaxLag,
		@DefaultValue("1s") Duration replicaCheckInterval) {

	public ReplicaProperties {
		for (String url : replicas) {
			if (!url.startsWith("r2dbc:")) {
				throw new IllegalArgumentException("catalog.db.replicas takes R2DBC URLs (r2dbc:postgresql://host:port/"
						+ "database), not " + url.replaceAll("//[^@/]*@", "//"));
			}
		}
		if (replicaMaxLag.isNegative() || replicaMaxLag.isZero()) {
			throw new IllegalArgumentException("catalog.db.replica-max-lag must be positive");
		}
		if (replicaCheckInterval.isNegative() || replicaCheckInterval.isZero()) {
			throw new IllegalArgumentException("catalog.db.replica-check-interval must be positive");
		}
	}

}
