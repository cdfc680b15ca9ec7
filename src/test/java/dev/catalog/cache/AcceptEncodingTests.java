package dev.catalog.cache;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.catalog.cache.ContentCoding.BR;
import static dev.catalog.cache.ContentCoding.GZIP;
import static dev.catalog.cache.ContentCoding.IDENTITY;
import static org.assertj.core.api.Assertions.assertThat;

/** RFC 9110 §12.5.3 negotiation as a pure function of the header and the stored codings. */
class AcceptEncodingTests {

	private static final ContentCoding[] BR_GZIP = { BR, GZIP };

	@ParameterizedTest(name = "[{0}] -> {1}")
	@CsvSource(delimiter = '|', value = {
			// what browsers and HTTP libraries send
			"gzip, deflate, br, zstd | BR", "gzip, deflate | GZIP", "gzip | GZIP", "br | BR",
			// q-values rank; ties go to the configured order (br first)
			"br;q=0.5, gzip | GZIP", "gzip;q=0.8, br;q=0.9 | BR", "gzip, br | BR", "gzip;q=1.0, br;q=1 | BR",
			" gzip ; q=0.8 ,\tbr;Q=0.9 | BR", "GZIP | GZIP", "x-gzip | GZIP", "gzip;q=0.001 | GZIP",
			// q=0 refuses
			"gzip;q=0 | IDENTITY", "br;q=0, gzip | GZIP", "br;q=0, gzip;q=0 | IDENTITY",
			// * stands for every coding not named, identity included
			"* | BR", "*;q=0.5, br;q=0 | GZIP", "*;q=0, gzip | GZIP",
			// identity named: ranked like the others, losing ties to a compressed coding
			"identity | IDENTITY", "identity, gzip;q=0.5 | IDENTITY", "gzip, identity | GZIP",
			"identity;q=0.5, gzip;q=0.4 | IDENTITY", "identity;q=0, gzip;q=0.1 | GZIP",
			// nothing acceptable: identity, even where identity is refused (the header is disregarded)
			"*;q=0 | IDENTITY", "identity;q=0 | IDENTITY", "identity;q=0, *;q=0 | IDENTITY", "deflate | IDENTITY",
			"zstd | IDENTITY",
			// elements that do not parse are ignored
			"gzip;q=1.5 | IDENTITY", "gzip;q=abc | IDENTITY", "gzip;q=0.0001 | IDENTITY", "gzip;level=9 | IDENTITY",
			"gzip;q=.5 | IDENTITY", "gzip;q=abc, br;q=0.1 | BR", ",, gzip ,, | GZIP",
			// the first of two elements naming a coding counts
			"gzip;q=0, gzip | IDENTITY" })
	void theHighestQValueWinsAndTiesGoToTheSmallerCoding(String header, ContentCoding expected) {
		assertThat(AcceptEncoding.parse(List.of(header)).choose(BR_GZIP)).isEqualTo(expected);
	}

	@Test
	void noHeaderAndAnEmptyHeaderGetIdentity() {
		assertThat(AcceptEncoding.parse(null).choose(BR_GZIP)).isEqualTo(IDENTITY);
		assertThat(AcceptEncoding.parse(List.of()).choose(BR_GZIP)).isEqualTo(IDENTITY);
		assertThat(AcceptEncoding.parse(List.of("")).choose(BR_GZIP)).isEqualTo(IDENTITY);
	}

	@Test
	void severalHeaderLinesAreOneList() {
		assertThat(AcceptEncoding.parse(List.of("gzip;q=0.9", "br")).choose(BR_GZIP)).isEqualTo(BR);
	}

	@Test
	void onlyTheStoredCodingsAreOffered() {
		AcceptEncoding brOnly = AcceptEncoding.parse(List.of("br"));
		assertThat(brOnly.choose(new ContentCoding[] { GZIP })).isEqualTo(IDENTITY);
		assertThat(brOnly.choose(new ContentCoding[0])).isEqualTo(IDENTITY);
		AcceptEncoding both = AcceptEncoding.parse(List.of("gzip, br"));
		assertThat(both.choose(new ContentCoding[] { GZIP, BR })).isEqualTo(GZIP);
		assertThat(both.choose(new ContentCoding[] { IDENTITY, GZIP })).isEqualTo(GZIP);
	}

	@ParameterizedTest
	@CsvSource({ "0, 0", "1, 1000", "1., 1000", "1.000, 1000", "0.5, 500", "0.05, 50", "0.123, 123", "1.001, -1",
			"2, -1", "0.1234, -1", "'', -1", "0.x, -1" })
	void qValuesAreThousandths(String text, int expected) {
		assertThat(AcceptEncoding.qvalue(text, 0, text.length())).isEqualTo(expected);
	}

	@Test
	void everyCodingIsNamedByItsToken() {
		assertThat(Arrays.stream(ContentCoding.values()))
			.allSatisfy((coding) -> assertThat(ContentCoding.ofToken(coding.token(), 0, coding.token().length()))
				.isSameAs(coding));
		assertThat(Arrays.stream(ContentCoding.values()))
			.allSatisfy((coding) -> assertThat(ContentCoding.ofId(coding.id())).isSameAs(coding));
	}

}
