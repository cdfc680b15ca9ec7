package dev.catalog.web;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.web.reactive.function.server.HandlerStrategies;

/**
 * Handler strategies for a route slice test ({@code WebTestClient.bindToRouterFunction(...)
 * .handlerStrategies(...)}) whose errors are answered as the service answers them.
 */
public final class TestHandlerStrategies {

	private TestHandlerStrategies() {
	}

	/**
	 * The default codecs and {@link ProblemResponses} as the only exception handler. Not
	 * {@code HandlerStrategies.builder()}: it puts the framework's
	 * {@code WebFluxResponseStatusExceptionHandler} first, which answers every
	 * {@code ResponseStatusException} (no route, 406, 415, unreadable input) itself, with an
	 * empty body.
	 */
	public static HandlerStrategies withProblemResponses() {
		return HandlerStrategies.empty()
			.codecs((codecs) -> codecs.registerDefaults(true))
			.exceptionHandler(new ProblemResponses(JsonMapper.builder().build()))
			.build();
	}

}
