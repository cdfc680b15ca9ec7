package dev.catalog.share;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.catalog.share.ShareQueries.PageRow;

/**
 * What a share page shows: the collection and its most recently added members (at most
 * {@link ShareQueries#PAGE_MEMBERS}).
 */
record SharePage(String name, String description, long count, List<Member> members) {

	record Member(UUID id, String name, String type, String description) {

	}

	static SharePage of(List<PageRow> rows) {
		PageRow first = rows.get(0);
		List<Member> members = new ArrayList<>();
		for (PageRow row : rows) {
			if (row.artifactId() != null && row.artifactName() != null && row.artifactType() != null
					&& row.artifactDescription() != null) {
				members.add(new Member(row.artifactId(), row.artifactName(), row.artifactType(),
						row.artifactDescription()));
			}
		}
		return new SharePage(first.name(), first.description(), first.count(), List.copyOf(members));
	}

}
