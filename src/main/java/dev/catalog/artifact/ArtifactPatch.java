package dev.catalog.artifact;

import java.util.List;

import dev.catalog.web.JsonFields;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The body of {@code PATCH /api/v1/artifacts/{id}}: an RFC 7396 JSON merge patch, validated.
 * An absent member leaves the field as it is; {@code null} removes it, which for the optional
 * fields means their default (empty description, no tags, empty metadata) and for name and type
 * is refused; {@code metadata} is merged recursively, the other members replace.
 *
 * @param name the new name, or {@code null} to keep it
 * @param type the new type, or {@code null} to keep it
 * @param description the new description, or {@code null} to keep it
 * @param tags the new tags, or {@code null} to keep them
 * @param metadataPatch a merge patch (JSON object text) for the metadata, or {@code null}
 * @param resetMetadata whether to empty the metadata (the patch said {@code "metadata": null})
 */
@Schema(name = "ArtifactPatch", description = """
		JSON merge patch (RFC 7396): absent members stay, null removes (description, tags, metadata \
		back to empty; name and type cannot be removed), metadata merges recursively""")
record ArtifactPatch(@Nullable String name, @Nullable String type, @Nullable String description,
		@Nullable List<String> tags, @Schema(types = { "object", "null" }) @Nullable String metadataPatch,
		@Schema(hidden = true) boolean resetMetadata) {

	static ArtifactPatch from(JsonNode body, JsonMapper json) {
		JsonFields fields = JsonFields.of(body, NewArtifact.FIELDS);
		String name = fields.present("name") ? fields.string("name", true, 1, NewArtifact.MAX_NAME, true) : null;
		String type = fields.present("type") ? NewArtifact.type(fields, true) : null;
		String description = fields.isNull("description") ? ""
				: fields.string("description", false, 0, NewArtifact.MAX_DESCRIPTION, false);
		List<String> tags = fields.isNull("tags") ? List.of()
				: fields.strings("tags", NewArtifact.MAX_TAGS, NewArtifact.MAX_TAG);
		JsonNode metadata = fields.object("metadata");
		fields.validate("The patch cannot be applied as sent.");
		return new ArtifactPatch(name, type, description, tags,
				(metadata != null) ? json.writeValueAsString(metadata) : null, fields.isNull("metadata"));
	}

}
