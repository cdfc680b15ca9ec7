package dev.catalog.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.mock.web.reactive.function.server.MockServerRequest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** The paging parameters of a page (1 to 200) and of a stream (1 up), and what refuses them. */
class PageRequestTests {

	@Test
	void aPageIsFiftyUnlessAskedAndAtMost200() {
		assertThat(PageRequest.of(request(null)).limit()).isEqualTo(50);
		assertThat(PageRequest.of(request("200")).limit()).isEqualTo(200);
		assertThatExceptionOfType(BadRequestException.class).isThrownBy(() -> PageRequest.of(request("201")))
			.satisfies((ex) -> assertThat(ex.getBody().getDetail())
				.isEqualTo("limit must be an integer from 1 to 200, not '201'."));
	}

	@Test
	void aStreamWithoutALimitSendsEverything() {
		assertThat(StreamRequest.of(request(null)).max()).isEqualTo(Long.MAX_VALUE);
	}

	@Test
	void aStreamMaySendMoreThan200() {
		assertThat(StreamRequest.of(request("300")).max()).isEqualTo(300);
		assertThat(StreamRequest.of(request(" 5000000000 ")).max()).isEqualTo(5_000_000_000L);
	}

	@Test
	void aStreamLimitTooLargeForALongSendsEverything() {
		assertThat(StreamRequest.of(request("99999999999999999999999")).max()).isEqualTo(Long.MAX_VALUE);
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "-1", "-99999999999999999999999", "ten", "2.5", "", "1e3", "0x10" })
	void aStreamLimitThatIsNoIntegerOfAtLeastOneIs400(String limit) {
		assertThatExceptionOfType(BadRequestException.class).isThrownBy(() -> StreamRequest.of(request(limit)))
			.satisfies((ex) -> assertThat(ex.getBody().getDetail())
				.isEqualTo("limit must be an integer of at least 1 for a stream, not '" + limit + "'."));
	}

	@Test
	void anEmptyCursorIs400ForPagesAndStreams() {
		MockServerRequest request = MockServerRequest.builder().queryParam("cursor", " ").build();
		assertThatExceptionOfType(BadRequestException.class).isThrownBy(() -> PageRequest.of(request));
		assertThatExceptionOfType(BadRequestException.class).isThrownBy(() -> StreamRequest.of(request));
		assertThat(StreamRequest.of(MockServerRequest.builder().queryParam("cursor", "abc").build()).cursor())
			.isEqualTo("abc");
	}

	private static MockServerRequest request(String limit) {
		MockServerRequest.Builder request = MockServerRequest.builder();
		if (limit != null) {
			request.queryParam("limit", limit);
		}
		return request.build();
	}

}
