package dev.catalog.cache;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Opening the shared connection against a server that accepts connections and never answers,
 * as a Redis frozen with SIGSTOP does (the kernel still completes the TCP handshake): Lettuce's
 * command timeout does not cover the attempt, and Lettuce itself gave up on it only after its
 * own handshake timeout (here 10 s, the URI's), so every command waiting for the connection
 * waited that long.
 */
class RedisConnectionTests {

	/** The connection attempt's bound; the URI's timeout, Lettuce's own bound, is far longer. */
	private static final Duration ATTEMPT = Duration.ofMillis(700);

	private static final Duration RETRY = Duration.ofSeconds(1);

	private ServerSocket silent;

	private final List<Socket> accepted = new CopyOnWriteArrayList<>();

	private RedisClient client;

	private RedisConnection connection;

	@BeforeEach
	void start() throws IOException {
		this.silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(() -> {
			try {
				while (true) {
					this.accepted.add(this.silent.accept());
				}
			}
			catch (IOException closed) {
				// the test is over
			}
		}, "silent-redis");
		acceptor.setDaemon(true);
		acceptor.start();
		this.client = RedisClient.create();
		this.client.setOptions(ClientOptions.builder()
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.socketOptions(SocketOptions.builder().connectTimeout(Duration.ofMillis(500)).build())
			.timeoutOptions(TimeoutOptions.enabled(Duration.ofMillis(200)))
			.build());
		RedisURI uri = RedisURI.create("redis://127.0.0.1:" + this.silent.getLocalPort());
		uri.setTimeout(Duration.ofSeconds(10));
		this.connection = RedisConnection.standalone(this.client, uri, ATTEMPT, RETRY);
	}

	@AfterEach
	void stop() throws IOException {
		this.connection.close();
		this.silent.close();
		for (Socket socket : this.accepted) {
			socket.close();
		}
	}

	@Test
	void aCommandWaitingForTheConnectionFailsWithinTheAttemptsBound() {
		Duration took = StepVerifier.create(this.connection.execute((commands) -> commands.ping()))
			.expectError(TimeoutException.class)
			.verify(Duration.ofSeconds(30));
		// the bound, plus room for a busy machine; Lettuce alone would wait its 10 s
		assertThat(took).isLessThan(ATTEMPT.plusSeconds(4));
		assertThat(this.accepted).hasSize(1);
	}

	@Test
	void aFailedAttemptAnswersTheCallsAfterItAtOnceUntilItIsTriedAgain() {
		StepVerifier.create(this.connection.execute((commands) -> commands.ping()))
			.expectError(TimeoutException.class)
			.verify(Duration.ofSeconds(30));
		long started = System.nanoTime();
		for (int i = 0; i < 20; i++) {
			StepVerifier.create(this.connection.execute((commands) -> commands.ping()))
				.expectError(TimeoutException.class)
				.verify(Duration.ofSeconds(30));
		}
		boolean withinRetry = System.nanoTime() - started < RETRY.toNanos();
		if (withinRetry) {
			// twenty calls and not one more connection: the failure was remembered
			assertThat(this.accepted).hasSize(1);
		}
		// past the retry period the next call tries again: one more connection
		org.awaitility.Awaitility.await().pollDelay(RETRY).atMost(Duration.ofSeconds(30)).until(() -> {
			StepVerifier.create(this.connection.execute((commands) -> commands.ping()))
				.expectError(TimeoutException.class)
				.verify(Duration.ofSeconds(30));
			return this.accepted.size() >= 2;
		});
	}

}
