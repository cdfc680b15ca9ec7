package dev.catalog.web;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What the CORS filter decides for each origin, method and header, on its own (the whole
 * service, its headers on every kind of answer and its cost: {@code CrossOriginIntegrationTests}).
 */
class CrossOriginWebFilterTests {

	private static final String APP = "https://app.example";

	/** A request of the API as the server sees it: with its own origin, to which others are compared. */
	private static final String API = "http://catalog.example/api/v1/artifacts";

	private final CrossOriginWebFilter listed = filter(APP);

	private final CrossOriginWebFilter listedAndAny = filter(APP, "*");

	private final CrossOriginWebFilter sameOriginOnly = filter();

	@Test
	void aListedOriginsWritePreflightIsAnsweredWithoutGoingOn() {
		Answer answer = preflight(this.listed, APP, "DELETE", "Authorization, If-None-Match");
		assertThat(answer.wentOn()).isFalse();
		HttpHeaders headers = answer.headers();
		assertThat(headers.getAccessControlAllowOrigin()).isEqualTo(APP);
		assertThat(headers.getAccessControlAllowMethods()).containsExactly(HttpMethod.GET, HttpMethod.HEAD,
				HttpMethod.POST, HttpMethod.PATCH, HttpMethod.PUT, HttpMethod.DELETE);
		assertThat(headers.getAccessControlAllowHeaders()).containsExactly("Authorization", "If-None-Match");
		assertThat(headers.getAccessControlMaxAge()).isEqualTo(3600);
		assertThat(headers.getFirst("Timing-Allow-Origin")).isEqualTo(APP);
	}

	@Test
	void aListedOriginsRequestGoesOnWithTheExposedHeaders() {
		Answer answer = request(this.listed, HttpMethod.POST, APP);
		assertThat(answer.wentOn()).isTrue();
		assertThat(answer.headers().getAccessControlAllowOrigin()).isEqualTo(APP);
		assertThat(answer.headers().getAccessControlExposeHeaders()).containsExactly("ETag", "Location",
				"Retry-After", "X-Cache", "Server-Timing", "RateLimit", "RateLimit-Policy", "Content-Encoding");
		assertThat(answer.headers().getFirst("Timing-Allow-Origin")).isEqualTo(APP);
	}

	@Test
	void withStarAnyOtherOriginMayReadButNeverWrite() {
		Answer read = request(this.listedAndAny, HttpMethod.GET, "https://other.example");
		assertThat(read.wentOn()).isTrue();
		assertThat(read.headers().getAccessControlAllowOrigin()).isEqualTo("*");
		assertThat(read.headers().getFirst("Timing-Allow-Origin")).isEqualTo("*");
		assertThat(preflight(this.listedAndAny, "https://other.example", "GET", "If-None-Match").headers()
			.getAccessControlAllowMethods()).containsExactly(HttpMethod.GET, HttpMethod.HEAD);
		refused(this.listedAndAny, "https://other.example", "POST", "Authorization, Content-Type");
		assertThat(request(this.listedAndAny, HttpMethod.POST, "https://other.example").corsHeaders()).isEmpty();
		assertThat(preflight(this.listedAndAny, APP, "POST", "Content-Type").headers().getAccessControlAllowOrigin())
			.isEqualTo(APP);
	}

	@Test
	void anUnlistedOriginsPreflightIsRefusedAndItsRequestsGoOnWithoutCorsHeaders() {
		refused(this.listed, "https://evil.example", "GET", null);
		refused(this.sameOriginOnly, APP, "GET", null);
		Answer read = request(this.listed, HttpMethod.GET, "https://evil.example");
		assertThat(read.wentOn()).isTrue();
		assertThat(read.corsHeaders()).isEmpty();
		assertThat(request(this.sameOriginOnly, HttpMethod.DELETE, APP).corsHeaders()).isEmpty();
	}

	@Test
	void aMalformedOriginIsRefused() {
		assertThatExceptionOfType(ErrorResponseException.class)
			.isThrownBy(() -> request(this.listed, HttpMethod.GET, "https://app.example:port"))
			.satisfies((ex) -> assertThat(ex.getBody().getDetail()).isEqualTo("The Origin header is malformed."));
	}

	@Test
	void aPreflightForAHeaderNotAllowedIsRefused() {
		refused(this.listed, APP, "POST", "X-Debug");
	}

	@Test
	void anOriginIsMatchedWithoutRegardToCase() {
		assertThat(request(this.listed, HttpMethod.GET, "HTTPS://APP.EXAMPLE").headers().getAccessControlAllowOrigin())
			.isEqualTo("HTTPS://APP.EXAMPLE");
	}

	@Test
	void requestsWithoutOriginAndPathsOutsideTheApiAreLeftAlone() {
		assertThat(request(this.listed, HttpMethod.GET, null).corsHeaders()).isEmpty();
		MockServerWebExchange health = MockServerWebExchange
			.from(MockServerHttpRequest.options("http://catalog.example/actuator/health").header(HttpHeaders.ORIGIN, APP)
				.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "GET"));
		AtomicBoolean wentOn = new AtomicBoolean();
		this.listed.filter(health, (exchange) -> {
			wentOn.set(true);
			return exchange.getResponse().setComplete();
		}).block();
		assertThat(wentOn).isTrue();
		assertThat(health.getResponse().getHeaders().getAccessControlAllowOrigin()).isNull();
	}

	private static CrossOriginWebFilter filter(String... origins) {
		return new CrossOriginWebFilter(new CorsProperties(List.of(origins), Duration.ofHours(1)));
	}

	private static Answer preflight(CrossOriginWebFilter filter, String origin, String method, String headers) {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.options(API)
			.header(HttpHeaders.ORIGIN, origin)
			.header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, method);
		if (headers != null) {
			request.header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, headers);
		}
		return run(filter, MockServerWebExchange.from(request));
	}

	private static void refused(CrossOriginWebFilter filter, String origin, String method, String headers) {
		assertThatExceptionOfType(ErrorResponseException.class)
			.isThrownBy(() -> preflight(filter, origin, method, headers))
			.satisfies((ex) -> assertThat(ex.getStatusCode().value()).isEqualTo(403));
	}

	private static Answer request(CrossOriginWebFilter filter, HttpMethod method, String origin) {
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.method(method, API);
		if (origin != null) {
			request.header(HttpHeaders.ORIGIN, origin);
		}
		return run(filter, MockServerWebExchange.from(request));
	}

	private static Answer run(CrossOriginWebFilter filter, MockServerWebExchange exchange) {
		AtomicBoolean wentOn = new AtomicBoolean();
		filter.filter(exchange, (served) -> {
			wentOn.set(true);
			return served.getResponse().setComplete();
		}).block();
		return new Answer(wentOn.get(), exchange.getResponse().getHeaders());
	}

	private record Answer(boolean wentOn, HttpHeaders headers) {

		List<String> corsHeaders() {
			return this.headers.headerNames()
				.stream()
				.filter((name) -> name.startsWith("Access-Control-Allow") || name.startsWith("Access-Control-Expose")
						|| name.equals("Timing-Allow-Origin"))
				.toList();
		}

	}

}
