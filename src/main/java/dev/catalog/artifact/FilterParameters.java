package dev.catalog.artifact;

import io.swagger.v3.oas.annotations.enums.ParameterIn;
import org.springdoc.core.fn.builders.operation.Builder;

import static org.springdoc.core.fn.builders.arrayschema.Builder.arraySchemaBuilder;
import static org.springdoc.core.fn.builders.parameter.Builder.parameterBuilder;
import static org.springdoc.core.fn.builders.schema.Builder.schemaBuilder;

/**
 * The OpenAPI description of the artifact list's filters ({@link ArtifactFilter}), shared by
 * the lists and the facets, which take the same filters.
 */
final class FilterParameters {

	private FilterParameters() {
	}

	/** Adds {@code type}, {@code tag}, {@code collection} and {@code q} to the operation. */
	static Builder describe(Builder operation) {
		return operation
			.parameter(parameterBuilder().in(ParameterIn.QUERY)
				.name("type")
				.description("Only artifacts of this type: " + ArtifactType.NAMES)
				.schema(schemaBuilder().type("string")))
			.parameter(parameterBuilder().in(ParameterIn.QUERY)
				.name("tag")
				.description("Only artifacts with this tag; repeat it to require several (all must match)")
				.array(arraySchemaBuilder().schema(schemaBuilder().type("string"))))
			.parameter(parameterBuilder().in(ParameterIn.QUERY)
				.name("collection")
				.description("Only members of this collection (UUID)")
				.schema(schemaBuilder().type("string").format("uuid")))
			.parameter(parameterBuilder().in(ParameterIn.QUERY)
				.name("q")
				.description("Only artifacts whose name contains this, case-insensitively")
				.schema(schemaBuilder().type("string")));
	}

}
