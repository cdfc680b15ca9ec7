package dev.catalog.collection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.catalog.web.JsonFields;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The body of {@code POST /api/v1/collections/{id}/memberships}: artifacts to add and to remove,
 * in one transaction. At most {@value #MAX_IDS} ids in all; no id twice, in one list or
 * across both; at least one id.
 */
@Schema(name = "MembershipBatch", description = "Artifact ids to add to and remove from the collection, at most 1000 in all")
record MembershipBatch(@ArraySchema(schema = @Schema(format = "uuid")) List<UUID> add,
		@ArraySchema(schema = @Schema(format = "uuid")) List<UUID> remove) {

	static final int MAX_IDS = 1000;

	static final Set<String> FIELDS = Set.of("add", "remove");

	static MembershipBatch from(JsonNode body) {
		JsonFields fields = JsonFields.of(body, FIELDS);
		int listed = size(body, "add") + size(body, "remove");
		if (listed > MAX_IDS) {
			fields.error("add", "add and remove may list at most " + MAX_IDS + " ids in all, not " + listed);
			fields.validate("The batch is too large.");
		}
		List<UUID> add = fields.ids("add");
		List<UUID> remove = fields.ids("remove");
		if (add != null && remove != null) {
			Set<UUID> adding = new HashSet<>(add);
			for (int i = 0; i < remove.size(); i++) {
				if (adding.contains(remove.get(i))) {
					fields.error("remove[" + i + "]", "is also in add; an artifact cannot be added and removed at once");
				}
			}
		}
		if (listed == 0 && readable(fields, "add", add) && readable(fields, "remove", remove)) {
			fields.error("add", "add or remove must list at least one id");
		}
		fields.validate("The batch cannot be applied as sent.");
		return new MembershipBatch((add != null) ? add : List.of(), (remove != null) ? remove : List.of());
	}

	/** Every id of the batch, adds first, in request order. */
	List<UUID> ids() {
		List<UUID> ids = new ArrayList<>(this.add);
		ids.addAll(this.remove);
		return ids;
	}

	/** Where an id appears in the request, for the 422 that lists unknown ids. */
	String fieldOf(UUID id) {
		int index = this.add.indexOf(id);
		return (index >= 0) ? "add[" + index + "]" : "remove[" + this.remove.indexOf(id) + "]";
	}

	/** Absent, null or a valid list: not already refused for its own sake. */
	private static boolean readable(JsonFields fields, String field, @Nullable List<UUID> ids) {
		return ids != null || !fields.present(field) || fields.isNull(field);
	}

	private static int size(JsonNode body, String field) {
		JsonNode list = body.get(field);
		return (list != null && list.isArray()) ? list.size() : 0;
	}

}
