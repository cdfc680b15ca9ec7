package dev.catalog.web;

import java.util.List;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.info.Contact;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.tags.Tag;
import org.springdoc.core.customizers.OpenApiCustomizer;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ApiDocsConfiguration {

	/**
	 * What the whole document says rather than each route: its title and description, the tags
	 * the operations use, and the answers any API request may get whatever its route, from the
	 * filters in front of every route: 429 (the client's rate limit, {@link RateLimitWebFilter})
	 * and 503 (too many requests in flight, the database unavailable).
	 */
	@Bean
	OpenApiCustomizer catalogDocument() {
		return (document) -> {
			document.info(new Info().title("Artifact Catalog API")
				.version("v1")
				.description("A catalog of artifacts (skills, commands, agents, MCP servers, hooks) grouped into "
						+ "collections. Reads are public; writes need a bearer token. Every error is "
						+ "application/problem+json (RFC 9457).")
				.contact(new Contact().name("Artifact Catalog").url("https://artifact-catalog.dev")));
			document.addTagsItem(new Tag().name("artifacts").description("The artifact list, its facets and details"));
			document.addTagsItem(new Tag().name("collections").description("Collections and their members"));
			document.addTagsItem(new Tag().name("stats").description("Catalog totals"));
			document.addTagsItem(new Tag().name("writes").description("Changes; need Authorization: Bearer <token>"));
			if (document.getComponents() == null) {
				document.components(new Components());
			}
			document.getComponents().addSchemas("Problem", problemSchema());
			if (document.getPaths() == null) {
				return;
			}
			document.getPaths().forEach((path, item) -> {
				if (path.startsWith("/api/")) {
					item.readOperations().forEach(ApiDocsConfiguration::addCommonAnswers);
					item.readOperations().forEach(ApiDocsConfiguration::describeProblems);
				}
			});
		};
	}

	private static void addCommonAnswers(Operation operation) {
		operation.getResponses()
			.putIfAbsent("429", problem("Over this client's rate limit (see the RateLimit and RateLimit-Policy "
					+ "headers), or too many streams open; try again after Retry-After"));
		operation.getResponses()
			.putIfAbsent("503", problem("Overloaded, or the database is unavailable; try again after Retry-After"));
		if (operation.getDescription() == null || operation.getDescription().isBlank()) {
			operation.setDescription(operation.getSummary());
		}
	}

	private static ApiResponse problem(String description) {
		return new ApiResponse().description(description)
			.content(new Content().addMediaType("application/problem+json", new MediaType()));
	}

	/** RFC 9457 as {@link ProblemResponses} writes it; a 422's {@code errors} and the like besides. */
	private static Schema<?> problemSchema() {
		return new ObjectSchema().description("RFC 9457 problem details")
			.addProperty("type", new StringSchema().format("uri"))
			.addProperty("title", new StringSchema())
			.addProperty("status", new IntegerSchema().minimum(java.math.BigDecimal.valueOf(400))
				.maximum(java.math.BigDecimal.valueOf(599)))
			.addProperty("detail", new StringSchema())
			.addProperty("instance", new StringSchema())
			.required(List.of("type", "title", "status", "detail"));
	}

	/** Every problem+json answer without a shape of its own gets the {@code Problem} one. */
	private static void describeProblems(Operation operation) {
		operation.getResponses().values().forEach((response) -> {
			if (response.getContent() == null) {
				return;
			}
			MediaType problem = response.getContent().get("application/problem+json");
			if (problem != null && problem.getSchema() == null) {
				problem.setSchema(new Schema<>().$ref("#/components/schemas/Problem"));
			}
		});
	}

}
