package dev.catalog.web;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Turns keyset positions into opaque cursors and back. A cursor names the list it belongs to
 * (path and filters, not the page size) and is signed with HMAC-SHA256 under a secret every
 * instance shares, so a cursor from one instance works on all of them, while a cursor that was
 * edited, or that belongs to another list, is refused.
 */
public class CursorCodec {

	private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

	private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

	private static final int SIGNATURE_BYTES = 16;

	private final SecretKeySpec key;

	public CursorCodec(String secret) {
		this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
	}

	public String encode(String list, Cursor cursor) {
		long micros = ChronoUnit.MICROS.between(Instant.EPOCH, cursor.at());
		String payload = Long.toString(micros, 36) + "." + cursor.id();
		return ENCODER.encodeToString((payload + "." + sign(list, payload)).getBytes(StandardCharsets.US_ASCII));
	}

	/**
	 * @throws InvalidCursorException if the cursor is malformed, was tampered with, or belongs
	 * to another list
	 */
	public Cursor decode(String list, String cursor) {
		String text;
		try {
			text = new String(DECODER.decode(cursor), StandardCharsets.US_ASCII);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidCursorException("The cursor is not one this service issued.");
		}
		int lastDot = text.lastIndexOf('.');
		if (lastDot < 0) {
			throw new InvalidCursorException("The cursor is not one this service issued.");
		}
		String payload = text.substring(0, lastDot);
		byte[] expected = sign(list, payload).getBytes(StandardCharsets.US_ASCII);
		if (!MessageDigest.isEqual(expected, text.substring(lastDot + 1).getBytes(StandardCharsets.US_ASCII))) {
			throw new InvalidCursorException(
					"The cursor was altered or belongs to another list (a different path or different filters).");
		}
		int dot = payload.indexOf('.');
		try {
			long micros = Long.parseLong(payload.substring(0, dot), 36);
			return new Cursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), UUID.fromString(payload.substring(dot + 1)));
		}
		catch (RuntimeException ex) {
			throw new InvalidCursorException("The cursor is not one this service issued.");
		}
	}

	private String sign(String list, String payload) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.key);
			mac.update(list.getBytes(StandardCharsets.UTF_8));
			mac.update((byte) 0);
			byte[] signature = mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
			return ENCODER.encodeToString(java.util.Arrays.copyOf(signature, SIGNATURE_BYTES));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A cursor the service did not issue for this list: a {@link BadRequestException} titled
	 * "Invalid cursor".
	 */
	public static class InvalidCursorException extends BadRequestException {

		InvalidCursorException(String detail) {
			super("Invalid cursor", detail);
		}

	}

}
