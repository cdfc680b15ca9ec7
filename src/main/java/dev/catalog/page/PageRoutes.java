package dev.catalog.page;

import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;

/**
 * {@code GET /}: the catalog page's HTML, with a {@code Content-Security-Policy} that lets it
 * run its own scripts and style sheet and talk to its own origin only (the API and the change
 * feed), and {@code Cache-Control: no-cache} so a browser revalidates it ({@code Last-Modified})
 * rather than keep an old page that names scripts no longer served.
 */
final class PageRoutes {

	/** What the catalog page may do: nothing inline, nothing from elsewhere. */
	static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
			+ "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

	private static final MediaType HTML = MediaType.parseMediaType("text/html;charset=UTF-8");

	private PageRoutes() {
	}

	static RouterFunction<ServerResponse> routes() {
		Resource page = new ClassPathResource("static/index.html");
		return RouterFunctions.route(GET("/"),
				(request) -> ServerResponse.ok()
					.contentType(HTML)
					.cacheControl(CacheControl.noCache())
					.header("Content-Security-Policy", POLICY)
					.bodyValue(page));
	}

}
