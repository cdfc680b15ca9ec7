package dev.catalog.collection;

import java.util.Set;

import dev.catalog.web.JsonFields;
import io.swagger.v3.oas.annotations.media.Schema;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /api/v1/collections}, validated. Names are unique regardless of
 * case.
 */
@Schema(name = "NewCollection", description = "A collection to create; unknown fields are refused with 422")
record NewCollection(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 200) String name,
		@Schema(maxLength = 4000, defaultValue = "") String description) {

	static final int MAX_NAME = 200;

	static final int MAX_DESCRIPTION = 4000;

	static final Set<String> FIELDS = Set.of("name", "description");

	static NewCollection from(JsonNode body) {
		JsonFields fields = JsonFields.of(body, FIELDS);
		String name = fields.string("name", true, 1, MAX_NAME, true);
		String description = fields.string("description", false, 0, MAX_DESCRIPTION, false);
		fields.validate("The collection cannot be created as sent.");
		return new NewCollection(name, (description != null) ? description : "");
	}

}
