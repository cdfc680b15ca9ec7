package dev.catalog.web;

import java.nio.charset.StandardCharsets;

import org.springframework.http.HttpStatus;

/**
 * Problem bodies for answers the server writes itself, below the web framework: no request
 * reached a handler (the request line or headers could not be decoded, or did not arrive in
 * time), so there is no {@code instance}. The same members and types as
 * {@link ProblemResponses}.
 */
final class RawProblems {

	private RawProblems() {
	}

	static byte[] body(HttpStatus status, String title, String detail) {
		return ("{\"type\":\"" + Problems.type(status) + "\",\"title\":\"" + title + "\",\"status\":" + status.value()
				+ ",\"detail\":\"" + detail + "\"}")
			.getBytes(StandardCharsets.UTF_8);
	}

	/** The whole HTTP/1.1 answer, closing the connection, as bytes for the socket. */
	static byte[] response(HttpStatus status, String title, String detail) {
		byte[] body = body(status, title, detail);
		byte[] head = ("HTTP/1.1 " + status.value() + " " + status.getReasonPhrase() + "\r\n"
				+ "content-type: application/problem+json\r\n" + "content-length: " + body.length + "\r\n"
				+ "x-content-type-options: nosniff\r\n" + "connection: close\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
		byte[] all = new byte[head.length + body.length];
		System.arraycopy(head, 0, all, 0, head.length);
		System.arraycopy(body, 0, all, head.length, body.length);
		return all;
	}

}
