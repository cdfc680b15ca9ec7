package dev.catalog.web;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The proxies whose {@code X-Forwarded-For} is believed, as addresses or CIDR ranges. Only
 * literal addresses are accepted (a host name would be a DNS lookup per request).
 */
final class TrustedProxies {

	private final List<Range> ranges;

	private TrustedProxies(List<Range> ranges) {
		this.ranges = ranges;
	}

	/** @throws IllegalArgumentException for an entry that is not an address or a CIDR range */
	static TrustedProxies of(List<String> entries) {
		return new TrustedProxies(entries.stream().map(String::strip).filter((e) -> !e.isEmpty()).map(Range::parse).toList());
	}

	boolean isEmpty() {
		return this.ranges.isEmpty();
	}

	boolean contains(@Nullable InetAddress address) {
		if (address == null) {
			return false;
		}
		return this.ranges.stream().anyMatch((range) -> range.contains(address));
	}

	/** A literal address (IPv4 or IPv6) without a DNS lookup, or {@code null}. */
	static @Nullable InetAddress literal(String text) {
		String value = text.strip();
		if (value.startsWith("[") && value.endsWith("]")) {
			value = value.substring(1, value.length() - 1);
		}
		if (value.isEmpty() || !(value.indexOf(':') >= 0 || value.matches("[0-9.]+"))
				|| !value.matches("[0-9a-fA-F.:]+")) {
			return null;
		}
		try {
			return InetAddress.getByName(value);
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	private record Range(byte[] network, int bits) {

		static Range parse(String entry) {
			int slash = entry.indexOf('/');
			InetAddress address = literal((slash < 0) ? entry : entry.substring(0, slash));
			if (address == null) {
				throw new IllegalArgumentException("catalog.rate-limit.trusted-proxies: not an address: " + entry);
			}
			byte[] bytes = address.getAddress();
			int bits = bytes.length * 8;
			if (slash >= 0) {
				try {
					bits = Integer.parseInt(entry.substring(slash + 1));
				}
				catch (NumberFormatException ex) {
					throw new IllegalArgumentException("catalog.rate-limit.trusted-proxies: bad prefix: " + entry);
				}
				if (bits < 0 || bits > bytes.length * 8) {
					throw new IllegalArgumentException("catalog.rate-limit.trusted-proxies: bad prefix: " + entry);
				}
			}
			return new Range(bytes, bits);
		}

		boolean contains(InetAddress address) {
			byte[] bytes = address.getAddress();
			if (bytes.length != this.network.length) {
				return false;
			}
			BigInteger mask = BigInteger.ONE.shiftLeft(bytes.length * 8)
				.subtract(BigInteger.ONE)
				.shiftRight(this.bits)
				.not();
			return new BigInteger(1, bytes).and(mask).equals(new BigInteger(1, this.network).and(mask));
		}

	}

}
