package dev.catalog.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Load shedding ({@code catalog.overload.*}).
 *
 * @param maxInFlight API requests the instance works on at once; one more is answered at once
 * with 503 and {@code Retry-After} instead of queueing. 0 means no limit. Actuator endpoints
 * are not counted, so probes answer under any load.
 * @param retryAfter what a shed request is told to wait
 */
@ConfigurationProperties("catalog.overload")
public record OverloadProperties(Integer maxInFlight, Duration retryAfter) {

	public OverloadProperties {
		maxInFlight = (maxInFlight != null) ? maxInFlight : 2048;
		retryAfter = (retryAfter != null) ? retryAfter : Duration.ofSeconds(1);
		if (maxInFlight < 0) {
			throw new IllegalArgumentException("catalog.overload.max-in-flight must not be negative");
		}
	}

}
