package dev.catalog.artifact;

import java.time.Instant;
import java.util.Set;

import dev.catalog.web.JsonFields;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /api/v1/artifacts/{id}/versions}, validated.
 *
 * @param version the version string, 1 to 100 characters
 * @param releasedAt when it was released, or {@code null} for now
 */
@Schema(name = "NewVersion", description = "A version to add; releasedAt defaults to now")
record NewVersion(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 100) String version,
		@Nullable Instant releasedAt) {

	static final Set<String> FIELDS = Set.of("version", "releasedAt");

	static NewVersion from(JsonNode body) {
		JsonFields fields = JsonFields.of(body, FIELDS);
		String version = fields.string("version", true, 1, 100, true);
		Instant releasedAt = fields.instant("releasedAt");
		fields.validate("The version cannot be added as sent.");
		return new NewVersion(version, releasedAt);
	}

}
