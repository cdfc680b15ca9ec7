package dev.catalog.artifact;

import java.util.List;

import dev.catalog.web.BadRequestException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ArtifactFilterTests {

	@Test
	void equalFiltersInAnyOrderHaveTheSameCanonicalForm() {
		ArtifactFilter one = ArtifactFilter.parse("skill", List.of("b", "a", "b"), null, "lint");
		ArtifactFilter other = ArtifactFilter.parse("skill", List.of("a", "b"), null, "lint");
		assertThat(one.canonical()).isEqualTo(other.canonical()).isEqualTo("type=skill&tag=a&tag=b&q=lint&");
	}

	@Test
	void valuesThatOnlyLookAlikeOnceEscapedHaveDifferentCanonicalForms() {
		assertThat(ArtifactFilter.parse(null, null, null, "a&").canonical())
			.isNotEqualTo(ArtifactFilter.parse(null, null, null, "a%26").canonical());
		assertThat(ArtifactFilter.parse(null, List.of("a&tag=b"), null, null).canonical())
			.isNotEqualTo(ArtifactFilter.parse(null, List.of("a", "b"), null, null).canonical());
		assertThat(ArtifactFilter.parse(null, List.of("x%26"), null, null).canonical())
			.isNotEqualTo(ArtifactFilter.parse(null, List.of("x&"), null, null).canonical());
	}

	@Test
	void anUnknownTypeIsRefused() {
		assertThatExceptionOfType(BadRequestException.class)
			.isThrownBy(() -> ArtifactFilter.parse("plugin", null, null, null))
			.withMessageContaining("type must be one of");
	}

	@Test
	void aMalformedCollectionIdIsRefused() {
		assertThatExceptionOfType(BadRequestException.class)
			.isThrownBy(() -> ArtifactFilter.parse(null, null, "42", null))
			.withMessageContaining("not a UUID");
	}

	@Test
	void tooManyOrOverlongTagsAreRefused() {
		assertThatExceptionOfType(BadRequestException.class).isThrownBy(() -> ArtifactFilter.parse(null,
				List.of("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"), null, null));
		assertThatExceptionOfType(BadRequestException.class)
			.isThrownBy(() -> ArtifactFilter.parse(null, List.of("x".repeat(51)), null, null));
	}

}
