package dev.catalog.collection;

import dev.catalog.web.JsonFields;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code PATCH /api/v1/collections/{id}}: an RFC 7396 merge patch. Absent members
 * stay; {@code "description": null} empties the description; the name cannot be removed.
 *
 * @param name the new name, or {@code null} to keep it
 * @param description the new description, or {@code null} to keep it
 */
@Schema(name = "CollectionPatch", description = "JSON merge patch (RFC 7396) of name and description")
record CollectionPatch(@Nullable String name, @Nullable String description) {

	static CollectionPatch from(JsonNode body) {
		JsonFields fields = JsonFields.of(body, NewCollection.FIELDS);
		String name = fields.present("name") ? fields.string("name", true, 1, NewCollection.MAX_NAME, true) : null;
		String description = fields.isNull("description") ? ""
				: fields.string("description", false, 0, NewCollection.MAX_DESCRIPTION, false);
		fields.validate("The patch cannot be applied as sent.");
		return new CollectionPatch(name, description);
	}

}
