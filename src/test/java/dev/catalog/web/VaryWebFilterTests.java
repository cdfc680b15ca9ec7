package dev.catalog.web;

import java.util.List;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

class VaryWebFilterTests {

	private final VaryWebFilter filter = new VaryWebFilter();

	@Test
	void aReadOfTheApiVariesOnAcceptAcceptEncodingAndOrigin() {
		assertThat(answer(HttpMethod.GET, "/api/v1/artifacts", HttpStatus.OK, List.of()))
			.containsExactly("Accept", "Accept-Encoding", "Origin");
		assertThat(answer(HttpMethod.HEAD, "/api/v1/stats", HttpStatus.NOT_MODIFIED, List.of()))
			.containsExactly("Accept", "Accept-Encoding", "Origin");
	}

	@Test
	void namesAlreadyThereAreKeptAndNoneTwiceWhateverTheirCase() {
		assertThat(answer(HttpMethod.GET, "/api/v1/artifacts", HttpStatus.OK,
				List.of("Origin", "Access-Control-Request-Method", "accept-encoding, Access-Control-Request-Headers")))
			.containsExactly("Accept", "Accept-Encoding", "Origin", "Access-Control-Request-Method",
					"Access-Control-Request-Headers");
	}

	@Test
	void answersWithOtherLinesInTurnEachGetTheirOwnVary() {
		List<String> cors = List.of("Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers");
		for (int i = 0; i < 3; i++) {
			assertThat(answer(HttpMethod.GET, "/api/v1/artifacts", HttpStatus.OK, cors)).containsExactly("Accept",
					"Accept-Encoding", "Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers");
			assertThat(answer(HttpMethod.GET, "/api/v1/artifacts", HttpStatus.OK, List.of()))
				.containsExactly("Accept", "Accept-Encoding", "Origin");
			assertThat(answer(HttpMethod.GET, "/api/v1/artifacts", HttpStatus.OK, List.of("*"))).containsExactly("*");
			assertThat(answer(HttpMethod.GET, "/api/v1/artifacts", HttpStatus.OK, List.of("X-Thing")))
				.containsExactly("Accept", "Accept-Encoding", "Origin", "X-Thing");
		}
	}

	@Test
	void varyStarIsLeftAlone() {
		assertThat(answer(HttpMethod.GET, "/api/v1/artifacts", HttpStatus.OK, List.of("*"))).containsExactly("*");
	}

	@Test
	void aProblemAnswerVariesWhateverTheMethod() {
		assertThat(answer(HttpMethod.POST, "/api/v1/artifacts", HttpStatus.UNAUTHORIZED, List.of()))
			.containsExactly("Accept", "Accept-Encoding", "Origin");
	}

	@Test
	void aSuccessfulWriteAndAnythingOutsideTheApiAreLeftAlone() {
		assertThat(answer(HttpMethod.POST, "/api/v1/artifacts", HttpStatus.CREATED, List.of())).isEmpty();
		assertThat(answer(HttpMethod.GET, "/actuator/health", HttpStatus.OK, List.of())).isEmpty();
	}

	/** The names in the {@code Vary} of an answer with this status, whose handler set {@code vary}. */
	private List<String> answer(HttpMethod method, String path, HttpStatus status, List<String> vary) {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.method(method, path));
		WebFilterChain handler = (served) -> {
			served.getResponse().setStatusCode(status);
			vary.forEach((value) -> served.getResponse().getHeaders().add(HttpHeaders.VARY, value));
			return served.getResponse().setComplete();
		};
		this.filter.filter(exchange, handler).block();
		HttpHeaders headers = exchange.getResponse().getHeaders();
		assertThat(headers.getOrDefault(HttpHeaders.VARY, List.of())).as("Vary header lines").hasSizeLessThanOrEqualTo(1);
		return headers.getVary();
	}

}
