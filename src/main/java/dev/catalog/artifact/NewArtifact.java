package dev.catalog.artifact;

import java.util.List;
import java.util.Set;

import dev.catalog.web.JsonFields;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The body of {@code POST /api/v1/artifacts}, validated.
 *
 * @param metadata the metadata object as JSON text
 */
@Schema(name = "NewArtifact", description = "An artifact to create; unknown fields are refused with 422")
record NewArtifact(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 200) String name,
		@Schema(requiredMode = Schema.RequiredMode.REQUIRED, allowableValues = { "skill", "command", "agent", "mcp",
				"hook" }) String type,
		@Schema(maxLength = 4000, defaultValue = "") String description,
		@ArraySchema(maxItems = 20, schema = @Schema(minLength = 1, maxLength = 50), arraySchema = @Schema(description = "Distinct tags of 1 to 50 characters; at most 20")) List<String> tags,
		@Schema(types = { "object" }, description = "Free-form JSON object; empty when absent") String metadata) {

	static final int MAX_NAME = 200;

	static final int MAX_DESCRIPTION = 4000;

	static final int MAX_TAGS = 20;

	static final int MAX_TAG = 50;

	static final Set<String> FIELDS = Set.of("name", "type", "description", "tags", "metadata");

	static NewArtifact from(JsonNode body, JsonMapper json) {
		JsonFields fields = JsonFields.of(body, FIELDS);
		String name = fields.string("name", true, 1, MAX_NAME, true);
		String type = type(fields, true);
		String description = fields.string("description", false, 0, MAX_DESCRIPTION, false);
		List<String> tags = fields.strings("tags", MAX_TAGS, MAX_TAG);
		JsonNode metadata = fields.object("metadata");
		fields.validate("The artifact cannot be created as sent.");
		return new NewArtifact(name, type, (description != null) ? description : "", (tags != null) ? tags : List.of(),
				(metadata != null) ? json.writeValueAsString(metadata) : "{}");
	}

	static @Nullable String type(JsonFields fields, boolean required) {
		String type = fields.string("type", required, 1, 20, true);
		if (type != null && ArtifactType.of(type) == null) {
			fields.error("type", "must be one of " + ArtifactType.NAMES + ", not '" + type + "'");
			return null;
		}
		return type;
	}

}
