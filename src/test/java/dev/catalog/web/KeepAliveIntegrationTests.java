package dev.catalog.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.catalog.CatalogApplication;
import dev.catalog.TestCatalog;
import dev.catalog.TestServers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keep-alive connections keep being read. Reactor Netty 1.3.6 could stop reading one after a
 * request that it had queued behind a still-terminating answer was itself answered at once
 * (a 400 before any database work, here, behind a write's answer completing on the database
 * driver's thread): the next request on the connection was never answered
 * (reactor/reactor-netty#4361; {@link RequestHeadLimits} asks for a read after every answer).
 * Eight clients alternate such a refused write and a real one on their own connections, reading
 * each answer before sending the next request, as browsers and HTTP client pools do.
 */
@ExtendWith(TestServers.class)
class KeepAliveIntegrationTests {

	private static final String TOKEN = "keep-alive-token";

	private static final int CLIENTS = 8;

	private static final int PAIRS = 60;

	private static ConfigurableApplicationContext service;

	private static int port;

	@BeforeAll
	static void start() {
		service = new SpringApplicationBuilder(CatalogApplication.class).profiles("test")
			.run("--server.port=0", "--catalog.api-tokens=" + TOKEN);
		port = service.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		service.getBean(DatabaseClient.class).sql(TestCatalog.EMPTY_CATALOG).then().block();
	}

	@AfterAll
	static void stop() {
		if (service != null) {
			service.close();
		}
	}

	@Test
	void aRequestAfterOneAnsweredAtOnceBehindAWriteIsStillAnswered() throws Exception {
		ConcurrentLinkedQueue<String> stalls = new ConcurrentLinkedQueue<>();
		ConcurrentLinkedQueue<String> statuses = new ConcurrentLinkedQueue<>();
		ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
		try {
			List<Future<?>> done = new java.util.ArrayList<>();
			for (int c = 0; c < CLIENTS; c++) {
				int client = c;
				done.add(clients.submit(() -> {
					try (Socket socket = new Socket("localhost", port)) {
						socket.setSoTimeout(5000);
						for (int i = 0; i < PAIRS; i++) {
							for (String request : List.of(refused(), created("keep-alive-" + client + "-" + i))) {
								socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
								try {
									statuses.add(answer(socket.getInputStream()));
								}
								catch (SocketTimeoutException ex) {
									stalls.add("client " + client + ", pair " + i + ": " + request.lines().findFirst().orElse(""));
									return null;
								}
							}
						}
					}
					return null;
				}));
			}
			for (Future<?> client : done) {
				client.get(5, TimeUnit.MINUTES);
			}
		}
		finally {
			clients.shutdownNow();
		}
		assertThat(stalls).as("requests never answered").isEmpty();
		assertThat(statuses).hasSize(CLIENTS * PAIRS * 2).containsOnly("400", "201");
	}

	private static String refused() {
		return "POST /api/v1/collections/not-a-uuid/shares HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
				+ TOKEN + "\r\nContent-Length: 0\r\n\r\n";
	}

	private static String created(String name) {
		String body = "{\"name\":\"" + name + "\"}";
		return "POST /api/v1/collections HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TOKEN
				+ "\r\nContent-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
	}

	/** Reads one answer with a Content-Length body; returns its status code. */
	private static String answer(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		while (matched < 4) {
			int b = in.read();
			if (b < 0) {
				throw new IOException("connection closed");
			}
			head.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
		}
		String text = head.toString(StandardCharsets.ISO_8859_1);
		int length = 0;
		for (String line : text.split("\r\n")) {
			if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
				length = Integer.parseInt(line.substring(15).trim());
			}
		}
		in.readNBytes(length);
		return text.substring(9, 12);
	}

}
