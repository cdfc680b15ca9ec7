package dev.catalog.share;

import java.util.List;

import dev.catalog.web.Representations;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import org.springdoc.core.fn.builders.operation.Builder;
import org.springdoc.webflux.core.fn.SpringdocRouteBuilder;

import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static dev.catalog.web.ApiDocs.json;
import static dev.catalog.web.ApiDocs.pathId;
import static dev.catalog.web.ApiDocs.problem;
import static dev.catalog.web.ApiDocs.write;
import static org.springdoc.core.fn.builders.apiresponse.Builder.responseBuilder;
import static org.springdoc.core.fn.builders.header.Builder.headerBuilder;
import static org.springdoc.core.fn.builders.parameter.Builder.parameterBuilder;
import static org.springdoc.core.fn.builders.schema.Builder.schemaBuilder;
import static org.springframework.http.MediaType.APPLICATION_JSON;
import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RequestPredicates.accept;

/**
 * The share routes: the links of a collection under the API (JSON, bearer token needed for
 * all three), and the public share page {@code /s/{token}}, HTML whatever {@code Accept} says
 * (link preview crawlers send all sorts), left out of the OpenAPI document.
 */
final class ShareRoutes {

	private static final String SHARES = "/api/v1/collections/{id}/shares";

	private static final String SHARE = SHARES + "/{token}";

	private static final String PAGE = ShareTokens.PAGE_PREFIX + "{token}";

	private ShareRoutes() {
	}

	static RouterFunction<ServerResponse> routes(ShareHandler handler) {
		return Representations.orNotAcceptable(SpringdocRouteBuilder.route()
			.POST(SHARES, handler::create, ShareRoutes::createShare)
			.GET(SHARES, accept(APPLICATION_JSON), handler::list, ShareRoutes::listShares)
			.DELETE(SHARE, handler::revoke, ShareRoutes::revokeShare)
			.build()).and(RouterFunctions.route(GET(PAGE), handler::page));
	}

	private static void createShare(Builder operation) {
		write(operation, "createShare", "Share a collection by an unguessable link")
			.parameter(pathId("id", "collection"))
			.response(responseBuilder().responseCode("201")
				.description("Created; Location is the share page, /s/{token}")
				.header(headerBuilder().name("Location").description("The share page's path"))
				.content(json(Share.class)))
			.response(problem("404", "No such collection"));
	}

	private static void listShares(Builder operation) {
		write(operation, "listShares", "A collection's share links, newest first")
			.description("Needs Authorization: Bearer <token>, although a read: the links are secrets.")
			.parameter(pathId("id", "collection"))
			.response(responseBuilder().responseCode("200")
				.description("The links")
				.content(json(ShareList.class)))
			.response(problem("404", "No such collection"))
			.response(problem("406", "Accept does not take JSON"));
	}

	private static void revokeShare(Builder operation) {
		write(operation, "revokeShare", "Revoke a share link: its page is a 404 on every instance from now on")
			.parameter(pathId("id", "collection"))
			.parameter(parameterBuilder().in(ParameterIn.PATH)
				.name("token")
				.required(true)
				.description("The link's token")
				.schema(schemaBuilder().type("string")))
			.response(responseBuilder().responseCode("204").description("Revoked"))
			.response(problem("404", "No such collection or link"));
	}

	/** The shape of the list, named for the OpenAPI document. */
	static final class ShareList extends java.util.ArrayList<Share> {

		private static final long serialVersionUID = 1L;

		ShareList(List<Share> shares) {
			super(shares);
		}

	}

}
