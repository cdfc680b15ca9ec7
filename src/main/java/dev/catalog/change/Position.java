package dev.catalog.change;

import dev.catalog.web.BadRequestException;

/**
 * A place in the feed: the transaction that recorded a change ({@code txid}, PostgreSQL's
 * 64-bit {@code xid8}) and the change's number within the log ({@code seq}). Positions are
 * ordered by {@code txid}, then {@code seq}; {@code (txid, 0)} is the position just before
 * every change of transaction {@code txid} and after every change of earlier ones.
 * <p>
 * Clients see it as an opaque string ({@link #encode()}), the SSE {@code id}.
 */
record Position(long txid, long seq) implements Comparable<Position> {

	static final Position ORIGIN = new Position(0, 0);

	/** The position before every change of transactions from {@code fence} on. */
	static Position fence(long fence) {
		return new Position(fence, 0);
	}

	String encode() {
		return this.txid + "-" + this.seq;
	}

	/** @throws BadRequestException if the text is no position this service wrote */
	static Position decode(String text) {
		int dash = text.indexOf('-');
		try {
			if (dash > 0) {
				long txid = Long.parseLong(text.substring(0, dash));
				long seq = Long.parseLong(text.substring(dash + 1));
				if (txid >= 0 && seq >= 0) {
					return new Position(txid, seq);
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
		int byTxid = Long.compare(this.txid, other.txid);
		return (byTxid != 0) ? byTxid : Long.compare(this.seq, other.seq);
	}

	boolean isAfter(Position other) {
		return compareTo(other) > 0;
	}

}
