package dev.catalog.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpServer;

/**
 * The catalog page's files served by another server on another port: a page of another origin
 * than the API's, as an SPA hosted apart from the service would be.
 */
final class StaticServer implements AutoCloseable {

	private final HttpServer server;

	private StaticServer(HttpServer server) {
		this.server = server;
	}

	static StaticServer start() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("localhost", 0), 0);
			server.createContext("/", (exchange) -> {
				String path = exchange.getRequestURI().getPath();
				String file = path.equals("/") ? "index.html" : path.substring(1);
				try (InputStream in = StaticServer.class.getClassLoader().getResourceAsStream("static/" + file)) {
					if (in == null || file.contains("..")) {
						exchange.sendResponseHeaders(404, -1);
						return;
					}
					byte[] body = in.readAllBytes();
					exchange.getResponseHeaders().set("Content-Type", type(file));
					exchange.sendResponseHeaders(200, body.length);
					exchange.getResponseBody().write(body);
				}
				finally {
					exchange.close();
				}
			});
			server.start();
			return new StaticServer(server);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String origin() {
		return "http://localhost:" + this.server.getAddress().getPort();
	}

	private static String type(String file) {
		if (file.endsWith(".js")) {
			return "text/javascript";
		}
		if (file.endsWith(".css")) {
			return "text/css";
		}
		return "text/html; charset=utf-8";
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
