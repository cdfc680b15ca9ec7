package dev.catalog.change;

import dev.catalog.web.BadRequestException;

/**
 * A place in the feed: the commit that recorded a change ({@code commit}, its number in
 * {@code catalog_commits}, in commit order) and the change's number within the log
 * ({@code seq}, in the order the transaction recorded its changes). Positions are ordered by
 * {@code commit}, then {@code seq}; {@code (commit, 0)} is the position just before every change
 * of that commit and after every change of earlier ones.
 * <p>
 * Clients see it as an opaque string ({@link #encode()}), the SSE {@code id}:
 * {@code <commit>.<seq>}. Positions written before commits were numbered
 * ({@code <txid>-<seq>}, migration {@code 040-commit-order.sql}) decode as {@link #RETIRED}.
 */
record Position(long commit, long seq) implements Comparable<Position> {

	static final Position ORIGIN = new Position(0, 0);

	/** A position from before commits were numbered: its client is told to reload. */
	static final Position RETIRED = new Position(-1, -1);

	/** The position before every change of commits from {@code commit} on. */
	static Position fence(long commit) {
		return new Position(commit, 0);
	}

	String encode() {
		return this.commit + "." + this.seq;
	}

	/**
	 * The last commit with changes at or before this position: {@code commit - 1} for a
	 * {@link #fence}, else {@code commit} (0 when none, or retired).
	 */
	long lastCommitCovered() {
		return Math.max(0, (this.seq == 0) ? this.commit - 1 : this.commit);
	}

	boolean isRetired() {
		return this.commit < 0;
	}

	/** @throws BadRequestException if the text is no position this service wrote */
	static Position decode(String text) {
		int dot = text.indexOf('.');
		int dash = text.indexOf('-');
		int at = (dot > 0) ? dot : dash;
		try {
			if (at > 0) {
				long commit = Long.parseLong(text.substring(0, at));
				long seq = Long.parseLong(text.substring(at + 1));
				if (commit >= 0 && seq >= 0) {
					return (at == dot) ? new Position(commit, seq) : RETIRED;
				}
			}
		}
		catch (NumberFormatException ex) {
			// refused below
		}
		throw new BadRequestException("Invalid position", "'" + text + "' is not a position of the change feed.");
	}

	@Override
	public int compareTo(Position other) {
		int byCommit = Long.compare(this.commit, other.commit);
		return (byCommit != 0) ? byCommit : Long.compare(this.seq, other.seq);
	}

	boolean isAfter(Position other) {
		return compareTo(other) > 0;
	}

}
