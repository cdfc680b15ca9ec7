package dev.catalog.cache;

import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a request's {@code Accept-Encoding} accepts (RFC 9110 §12.5.3), and which of the codings
 * an answer is stored in it gets: a pure function of the header and those codings.
 * <ul>
 * <li>The coding with the highest q-value wins; a tie goes to the earlier of the offered codings
 * (the configured order: br before gzip, as it is smaller), and a compressed coding wins a tie
 * with identity.</li>
 * <li>A coding the header does not name has the q-value of {@code *}, or is not acceptable
 * when there is no {@code *}; {@code q=0} refuses it. {@code x-gzip} is gzip.</li>
 * <li>Identity is the answer whenever no compressed coding is acceptable: with no header (RFC
 * 9110 lets the server choose then; clients that decompress say so), with an empty one, and
 * also when identity itself is refused ({@code identity;q=0}, or {@code *;q=0} without
 * identity): RFC 9110 §12.1 lets a server disregard the header rather than answer 406, and a
 * 406 problem would itself be sent in identity.</li>
 * <li>An element that does not parse (a q-value other than {@code 0} to {@code 1} with at most
 * three decimals, a parameter other than {@code q}) is ignored; the first of several elements
 * naming the same coding counts.</li>
 * </ul>
 * Parsing allocates nothing but this object: it runs on every cached read.
 */
final class AcceptEncoding {

	private static final int UNLISTED = -1;

	/** q-values in thousandths by {@link ContentCoding#ordinal()}, {@link #UNLISTED} if not named. */
	private final int[] weights = new int[ContentCoding.values().length];

	/** The q-value of {@code *} in thousandths, {@link #UNLISTED} if not named. */
	private int any = UNLISTED;

	private AcceptEncoding() {
		Arrays.fill(this.weights, UNLISTED);
	}

	/** The header's values as a request has them ({@code null} or empty: no header). */
	static AcceptEncoding parse(@Nullable List<String> values) {
		AcceptEncoding accepted = new AcceptEncoding();
		if (values != null) {
			for (String value : values) {
				accepted.add(value);
			}
		}
		return accepted;
	}

	/**
	 * The coding to answer in, among {@code offered} (in order of preference) and identity,
	 * which every answer has.
	 */
	ContentCoding choose(ContentCoding[] offered) {
		ContentCoding chosen = ContentCoding.IDENTITY;
		for (ContentCoding coding : offered) {
			chosen = prefer(chosen, coding);
		}
		return chosen;
	}

	/**
	 * One step of {@link #choose}, for callers that walk their codings without an array:
	 * {@code candidate} if it is acceptable and beats {@code chosen} (the best of the codings
	 * before it, identity to start with), else {@code chosen}.
	 */
	ContentCoding prefer(ContentCoding chosen, ContentCoding candidate) {
		if (candidate == ContentCoding.IDENTITY) {
			return chosen;
		}
		int weight = weight(candidate);
		if (weight == 0) {
			return chosen;
		}
		// a compressed coding wins a tie with identity, not with an earlier compressed coding
		return ((chosen == ContentCoding.IDENTITY) ? weight >= weight(chosen) : weight > weight(chosen)) ? candidate
				: chosen;
	}

	/** The q-value of {@code coding} in thousandths: 0 when it is not acceptable. */
	int weight(ContentCoding coding) {
		int explicit = this.weights[coding.ordinal()];
		if (explicit != UNLISTED) {
			return explicit;
		}
		return (this.any != UNLISTED) ? this.any : 0;
	}

	private void add(String value) {
		int start = 0;
		while (start <= value.length()) {
			int end = value.indexOf(',', start);
			if (end < 0) {
				end = value.length();
			}
			element(value, start, end);
			start = end + 1;
		}
	}

	/** One {@code coding [ OWS ";" OWS "q=" qvalue ]} between {@code start} and {@code end}. */
	private void element(String value, int start, int end) {
		int semicolon = value.indexOf(';', start);
		boolean weighted = semicolon >= 0 && semicolon < end;
		int nameEnd = weighted ? semicolon : end;
		int nameStart = skipSpace(value, start, nameEnd);
		nameEnd = trimEnd(value, nameStart, nameEnd);
		if (nameStart == nameEnd) {
			// an empty list element, which the list syntax allows
			return;
		}
		int weight = weighted ? weight(value, semicolon + 1, end) : 1000;
		if (weight < 0) {
			return;
		}
		if (nameEnd - nameStart == 1 && value.charAt(nameStart) == '*') {
			if (this.any == UNLISTED) {
				this.any = weight;
			}
			return;
		}
		ContentCoding coding = ContentCoding.ofToken(value, nameStart, nameEnd - nameStart);
		if (coding != null && this.weights[coding.ordinal()] == UNLISTED) {
			this.weights[coding.ordinal()] = weight;
		}
	}

	/** {@code OWS "q=" qvalue OWS} in thousandths, or -1 if it is anything else. */
	private static int weight(String value, int start, int end) {
		int from = skipSpace(value, start, end);
		int to = trimEnd(value, from, end);
		if (to - from < 3 || (value.charAt(from) != 'q' && value.charAt(from) != 'Q') || value.charAt(from + 1) != '=') {
			return -1;
		}
		return qvalue(value, from + 2, to);
	}

	/** {@code ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )} in thousandths, or -1. */
	static int qvalue(String text, int start, int end) {
		if (start == end || (text.charAt(start) != '0' && text.charAt(start) != '1')) {
			return -1;
		}
		int thousandths = (text.charAt(start) - '0') * 1000;
		if (end == start + 1) {
			return thousandths;
		}
		if (text.charAt(start + 1) != '.' || end - start - 2 > 3) {
			return -1;
		}
		int scale = 100;
		for (int i = start + 2; i < end; i++) {
			char digit = text.charAt(i);
			if (digit < '0' || digit > '9') {
				return -1;
			}
			thousandths += (digit - '0') * scale;
			scale /= 10;
		}
		return (thousandths <= 1000) ? thousandths : -1;
	}

	private static int skipSpace(String text, int start, int end) {
		int i = start;
		while (i < end && (text.charAt(i) == ' ' || text.charAt(i) == '\t')) {
			i++;
		}
		return i;
	}

	private static int trimEnd(String text, int start, int end) {
		int i = end;
		while (i > start && (text.charAt(i - 1) == ' ' || text.charAt(i - 1) == '\t')) {
			i--;
		}
		return i;
	}

}
