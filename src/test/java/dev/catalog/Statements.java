package dev.catalog;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * Reads how many SQL statements requests ran: per response from its {@code Server-Timing}
 * header, or for a whole stream from the {@code catalog.db.statements} counter.
 */
public final class Statements {

	private static final Pattern SERVER_TIMING = Pattern.compile("db;dur=[0-9.]+;desc=\"(\\d+) statements?\"");

	private Statements() {
	}

	public static int of(EntityExchangeResult<?> result) {
		String header = result.getResponseHeaders().getFirst("Server-Timing");
		if (header == null) {
			throw new AssertionError("No Server-Timing header");
		}
		Matcher matcher = SERVER_TIMING.matcher(header);
		if (!matcher.find()) {
			throw new AssertionError("Unexpected Server-Timing header: " + header);
		}
		return Integer.parseInt(matcher.group(1));
	}

	public static long total(MeterRegistry registry) {
		return (long) registry.get("catalog.db.statements").counter().count();
	}

}
