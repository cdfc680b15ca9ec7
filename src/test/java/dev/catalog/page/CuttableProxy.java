package dev.catalog.page;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of a server whose connections a test can cut: {@link #cut()} closes
 * every connection through it and refuses new ones (accepted and closed at once) until
 * {@link #resume()}, as a dropped network would.
 */
final class CuttableProxy implements AutoCloseable {

	private final ServerSocket listener;

	private final int target;

	private final Set<Socket> open = ConcurrentHashMap.newKeySet();

	private volatile boolean cut;

	private CuttableProxy(ServerSocket listener, int target) {
		this.listener = listener;
		this.target = target;
	}

	static CuttableProxy to(int port) {
		try {
			CuttableProxy proxy = new CuttableProxy(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), port);
			daemon("proxy-accept", proxy::accept);
			return proxy;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String origin() {
		return "http://localhost:" + this.listener.getLocalPort();
	}

	void cut() {
		this.cut = true;
		for (Socket socket : this.open) {
			close(socket);
		}
	}

	void resume() {
		this.cut = false;
	}

	private void accept() {
		while (!this.listener.isClosed()) {
			try {
				Socket client = this.listener.accept();
				if (this.cut) {
					close(client);
					continue;
				}
				Socket server = new Socket(InetAddress.getLoopbackAddress(), this.target);
				this.open.add(client);
				this.open.add(server);
				pipe(client, server);
				pipe(server, client);
			}
			catch (IOException ex) {
				// closed, or one connection failed: go on with the next
			}
		}
	}

	private void pipe(Socket from, Socket to) {
		daemon("proxy-pipe", () -> {
			byte[] buffer = new byte[16384];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) >= 0) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// cut, or closed by either side
			}
			finally {
				close(from);
				close(to);
			}
		});
	}

	private static void daemon(String name, Runnable work) {
		Thread thread = new Thread(work, name);
		thread.setDaemon(true);
		thread.start();
	}

	private void close(Socket socket) {
		this.open.remove(socket);
		try {
			socket.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

	@Override
	public void close() {
		cut();
		try {
			this.listener.close();
		}
		catch (IOException ex) {
			// closing anyway
		}
	}

}
