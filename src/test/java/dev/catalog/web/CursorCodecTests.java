package dev.catalog.web;

import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class CursorCodecTests {

	private final CursorCodec codec = new CursorCodec("0123456789abcdef0123456789abcdef");

	private final Cursor cursor = new Cursor(Instant.parse("2026-03-04T05:06:07.123456Z"),
			UUID.fromString("6f1c1d2e-0b7a-4c1e-9a51-2d3c4b5a6f70"));

	@Test
	void aCursorDecodesToThePositionItWasMadeFrom() {
		String encoded = this.codec.encode("artifacts?type=skill&", this.cursor);
		assertThat(this.codec.decode("artifacts?type=skill&", encoded)).isEqualTo(this.cursor);
	}

	@Test
	void aCursorIsRefusedByAnotherList() {
		String encoded = this.codec.encode("artifacts?type=skill&", this.cursor);
		assertThatExceptionOfType(CursorCodec.InvalidCursorException.class)
			.isThrownBy(() -> this.codec.decode("artifacts?type=agent&", encoded))
			.withMessageContaining("another list");
	}

	@Test
	void anEditedCursorIsRefused() {
		String encoded = this.codec.encode("artifacts?", this.cursor);
		String text = new String(Base64.getUrlDecoder().decode(encoded));
		String edited = Base64.getUrlEncoder().withoutPadding().encodeToString(text.replace("6f1c", "7f1c").getBytes());
		assertThatExceptionOfType(CursorCodec.InvalidCursorException.class)
			.isThrownBy(() -> this.codec.decode("artifacts?", edited));
	}

	@Test
	void aCursorSignedWithAnotherSecretIsRefused() {
		String foreign = new CursorCodec("another secret of the same length!").encode("artifacts?", this.cursor);
		assertThatExceptionOfType(CursorCodec.InvalidCursorException.class)
			.isThrownBy(() -> this.codec.decode("artifacts?", foreign));
	}

	@Test
	void garbageIsRefused() {
		assertThatExceptionOfType(CursorCodec.InvalidCursorException.class)
			.isThrownBy(() -> this.codec.decode("artifacts?", "not a cursor!"));
		assertThatExceptionOfType(CursorCodec.InvalidCursorException.class)
			.isThrownBy(() -> this.codec.decode("artifacts?", "bm9kb3Q"));
	}

}
