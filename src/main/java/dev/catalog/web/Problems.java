package dev.catalog.web;

import java.net.URI;
import java.util.Locale;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * How this service names its problems: the {@code type} of a problem is {@value #TYPE_PREFIX}
 * followed by its status's reason phrase in lower case, words joined by hyphens
 * ({@code .../not-found}, {@code .../unprocessable-content}, {@code .../content-too-large}), so
 * that a client can tell problems apart without reading titles.
 */
final class Problems {

	static final String TYPE_PREFIX = "https://artifact-catalog.dev/problems/";

	private Problems() {
	}

	/** The problem {@code type} of an answer with this status. */
	static URI type(HttpStatus status) {
		return URI.create(TYPE_PREFIX
				+ status.getReasonPhrase().toLowerCase(Locale.ROOT).replace(' ', '-').replace("'", ""));
	}

	/** A problem with this status, its {@link #type(HttpStatus) type}, a title and a detail. */
	static ProblemDetail of(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setType(type(status));
		problem.setTitle(title);
		return problem;
	}

}
