package dev.catalog.web;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.server.HandlerStrategies;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.accept;

class RepresentationsTests {

	private final WebTestClient client = client(Representations.orNotAcceptable(RouterFunctions.route()
		.GET("/things", accept(MediaType.APPLICATION_JSON), (request) -> ServerResponse.ok().bodyValue("json"))
		.GET("/things", accept(MediaType.APPLICATION_NDJSON, MediaType.TEXT_EVENT_STREAM),
				(request) -> ServerResponse.ok().bodyValue("stream"))
		.POST("/things", (request) -> ServerResponse.ok().bodyValue("created"))
		.GET("/things/{id}", accept(MediaType.APPLICATION_JSON), (request) -> ServerResponse.ok().bodyValue("thing"))
		.GET("/anything", (request) -> ServerResponse.ok().bodyValue("anything"))
		.build()));

	@Test
	void aGetWhoseAcceptNamesNoRepresentationOfThePathIs406ListingThemInTableOrder() {
		this.client.get()
			.uri("/things")
			.accept(MediaType.TEXT_PLAIN)
			.exchange()
			.expectStatus()
			.isEqualTo(406)
			.expectHeader()
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.expectBody()
			.jsonPath("$.status").isEqualTo(406)
			.jsonPath("$.title").isEqualTo("Not acceptable")
			.jsonPath("$.detail")
			.isEqualTo("This resource is available as [application/json, application/x-ndjson, text/event-stream].");
	}

	@Test
	void eachPathListsItsOwnRepresentations() {
		this.client.get()
			.uri("/things/1")
			.accept(MediaType.TEXT_EVENT_STREAM)
			.exchange()
			.expectStatus()
			.isEqualTo(406)
			.expectBody()
			.jsonPath("$.detail").isEqualTo("This resource is available as [application/json].");
	}

	@Test
	void theRoutesOfTheTableStillAnswerWhatTheyServe() {
		this.client.get().uri("/things").accept(MediaType.APPLICATION_JSON).exchange().expectBody(String.class)
			.isEqualTo("json");
		this.client.get().uri("/things").accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isOk();
		this.client.get().uri("/anything").accept(MediaType.IMAGE_PNG).exchange().expectStatus().isOk();
	}

	@Test
	void otherMethodsAndUnknownPathsAreNotAnswered406() {
		this.client.put().uri("/things").accept(MediaType.TEXT_PLAIN).exchange().expectStatus().isNotFound();
		this.client.head().uri("/things").accept(MediaType.TEXT_PLAIN).exchange().expectStatus().isNotFound();
		this.client.get().uri("/things/1/parts").accept(MediaType.TEXT_PLAIN).exchange().expectStatus().isNotFound();
	}

	@Test
	void aRouteWhoseRepresentationsCannotBeToldIsRefused() {
		RouterFunction<ServerResponse> either = RouterFunctions.route(GET("/a").or(GET("/b")),
				(request) -> ServerResponse.ok().build());
		assertThatIllegalArgumentException().isThrownBy(() -> Representations.orNotAcceptable(either))
			.withMessageContaining("Cannot tell what this route serves");
	}

	private static WebTestClient client(RouterFunction<ServerResponse> routes) {
		return WebTestClient.bindToRouterFunction(routes)
			// not builder(): its defaults put Spring's status handler ahead of ours
			.handlerStrategies(HandlerStrategies.empty()
				.codecs((codecs) -> codecs.registerDefaults(true))
				.exceptionHandler(new ProblemResponses(JsonMapper.builder().build()))
				.build())
			.build();
	}

}
