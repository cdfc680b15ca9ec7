package dev.catalog.cache;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.codec.HttpMessageReader;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;

class VaryByAcceptEncodingTests {

	/** The {@code Vary} lines the built answer carries, given the lines the response had so far. */
	private static List<String> varyOfAnswerTo(String... present) {
		MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/artifacts"));
		for (String line : present) {
			exchange.getResponse().getHeaders().add(HttpHeaders.VARY, line);
		}
		ServerRequest request = ServerRequest.create(exchange, List.<HttpMessageReader<?>>of());
		ServerResponse.BodyBuilder response = ServerResponse.ok();
		VaryByAcceptEncoding.addTo(request, response);
		List<String> vary = response.build().block().headers().get(HttpHeaders.VARY);
		return (vary != null) ? vary : List.of();
	}

	@Test
	void anAnswerWithoutVaryVariesByAcceptEncoding() {
		assertThat(varyOfAnswerTo()).containsExactly("Accept-Encoding");
	}

	@Test
	void theNamesAlreadyThereAreKeptInOneLineWithAcceptEncodingLast() {
		assertThat(varyOfAnswerTo("Origin", "Access-Control-Request-Method", " Accept , X-Thing"))
			.containsExactly("Origin, Access-Control-Request-Method, Accept, X-Thing, Accept-Encoding");
	}

	@Test
	void acceptEncodingAlreadyNamedInAnyCaseOrListIsNotAddedAgain() {
		assertThat(varyOfAnswerTo("Origin", "Accept, accept-encoding")).isEmpty();
		assertThat(varyOfAnswerTo("ACCEPT-ENCODING")).isEmpty();
	}

	@Test
	void varyStarIsLeftAlone() {
		assertThat(varyOfAnswerTo("*")).isEmpty();
	}

}
