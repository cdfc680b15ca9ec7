package dev.catalog.share;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The share pages as HTML, written by hand: no script, one inline style sheet allowed by its
 * hash in the {@link #POLICY Content-Security-Policy}, and every piece of user text escaped
 * ({@link #escape}) wherever it lands, element content and attribute values alike.
 */
final class ShareHtml {

	private static final String STYLE = "body{font:16px/1.5 system-ui,sans-serif;max-width:48rem;margin:0 auto;"
			+ "padding:1rem;color:#1d1d1f}h1{margin:.2em 0}ol{padding-left:1.4em}li{margin:.5em 0}"
			+ ".type{font-size:.8em;background:#eef;border-radius:.3em;padding:0 .3em;margin-left:.4em}"
			+ "p.count{color:#555}footer{margin-top:2em;font-size:.85em;color:#666}";

	/**
	 * The policy of every share page (and of its 404 page): nothing loads or runs, but the
	 * inline style sheet; no framing, no forms, no base URL.
	 */
	static final String POLICY = "default-src 'none'; style-src '" + sha256(STYLE)
			+ "'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

	private ShareHtml() {
	}

	/**
	 * The page of a shared collection.
	 * @param url the page's own absolute URL, for {@code og:url}
	 */
	static String page(SharePage page, String url) {
		String title = escape(page.name());
		String summary = escape(summary(page));
		StringBuilder html = new StringBuilder(8192);
		html.append("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
			.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
			.append("<title>").append(title).append(" · Artifact Catalog</title>\n")
			.append("<meta name=\"description\" content=\"").append(summary).append("\">\n")
			.append("<meta property=\"og:type\" content=\"website\">\n")
			.append("<meta property=\"og:site_name\" content=\"Artifact Catalog\">\n")
			.append("<meta property=\"og:title\" content=\"").append(title).append("\">\n")
			.append("<meta property=\"og:description\" content=\"").append(summary).append("\">\n")
			.append("<meta property=\"og:url\" content=\"").append(escape(url)).append("\">\n")
			.append("<meta name=\"twitter:card\" content=\"summary\">\n")
			.append("<meta name=\"twitter:title\" content=\"").append(title).append("\">\n")
			.append("<meta name=\"twitter:description\" content=\"").append(summary).append("\">\n")
			.append("<meta name=\"robots\" content=\"noindex\">\n")
			.append("<style>").append(STYLE).append("</style>\n</head>\n<body>\n<main>\n")
			.append("<header><p>Shared collection</p><h1>").append(title).append("</h1>\n");
		if (!page.description().isEmpty()) {
			html.append("<p class=\"description\">").append(escape(page.description())).append("</p>\n");
		}
		html.append("<p class=\"count\" id=\"count\">").append(count(page.count())).append("</p></header>\n");
		if (!page.members().isEmpty()) {
			html.append("<h2>")
				.append((page.count() > page.members().size()) ? "The " + page.members().size() + " most recently added"
						: "Artifacts")
				.append("</h2>\n<ol id=\"members\">\n");
			for (SharePage.Member member : page.members()) {
				html.append("<li><strong>")
					.append(escape(member.name()))
					.append("</strong><span class=\"type\">")
					.append(escape(member.type()))
					.append("</span>");
				if (!member.description().isEmpty()) {
					html.append("<br>").append(escape(member.description()));
				}
				html.append("</li>\n");
			}
			html.append("</ol>\n");
		}
		return html.append("</main>\n<footer>Artifact Catalog</footer>\n</body>\n</html>\n").toString();
	}

	/** The page of a link that does not exist (any more). */
	static String notFound() {
		return "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
				+ "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
				+ "<meta name=\"robots\" content=\"noindex\">\n<title>Link not found · Artifact Catalog</title>\n"
				+ "<style>" + STYLE + "</style>\n</head>\n<body>\n<main>\n<h1>Link not found</h1>\n"
				+ "<p>This share link does not exist or has been revoked.</p>\n</main>\n</body>\n</html>\n";
	}

	private static String summary(SharePage page) {
		String description = page.description().isEmpty() ? "" : page.description() + " · ";
		return description + count(page.count());
	}

	private static String count(long count) {
		return (count == 1) ? "1 artifact" : count + " artifacts";
	}

	/** Text safe in element content and in quoted attribute values. */
	static String escape(String text) {
		StringBuilder escaped = new StringBuilder(text.length() + 16);
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			switch (c) {
				case '<' -> escaped.append("&lt;");
				case '>' -> escaped.append("&gt;");
				case '&' -> escaped.append("&amp;");
				case '"' -> escaped.append("&quot;");
				case '\'' -> escaped.append("&#39;");
				default -> escaped.append(c);
			}
		}
		return escaped.toString();
	}

	private static String sha256(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
			return "sha256-" + Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
