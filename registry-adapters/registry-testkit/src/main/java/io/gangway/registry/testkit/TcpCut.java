package io.gangway.registry.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * {@code TcpCut} is a loopback TCP forwarder to a server that a test can cut and restore: {@link
 * #cut} closes the listener and every forwarded connection (the adapter sees connection resets,
 * then refused connects), {@link #restore} listens again on the same port. It lets outage tests run
 * against a real server that the test cannot stop. Its threads are named {@code tcp-cut*}.
 * Thread-safe.
 */
public final class TcpCut implements AutoCloseable {

  private final InetSocketAddress target;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private @Nullable ServerSocket server;
  private int port;

  private TcpCut(InetSocketAddress target) {
    this.target = target;
  }

  /** Starts forwarding a free loopback port to {@code host:port}. */
  public static TcpCut to(String host, int port) throws IOException {
    TcpCut t = new TcpCut(new InetSocketAddress(host, port));
    t.restore();
    return t;
  }

  public synchronized int port() {
    return port;
  }

  /** Drops the listener and every connection. */
  public synchronized void cut() {
    close(server);
    server = null;
    sockets.forEach(TcpCut::close);
    sockets.clear();
  }

  /** Listens again (on the same port after a {@link #cut}). */
  public synchronized void restore() throws IOException {
    if (server != null) {
      return;
    }
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    port = s.getLocalPort();
    server = s;
    daemon("tcp-cut-accept", () -> accept(s));
  }

  @Override
  public void close() {
    cut();
  }

  private void accept(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        Socket client = s.accept();
        Socket upstream = new Socket();
        try {
          upstream.connect(target, 2_000);
        } catch (IOException e) {
          close(client);
          continue;
        }
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(upstream);
        daemon("tcp-cut-up", () -> pump(client, upstream));
        daemon("tcp-cut-down", () -> pump(upstream, client));
      } catch (IOException e) {
        return; // cut
      }
    }
  }

  private void pump(Socket from, Socket to) {
    byte[] buf = new byte[16 * 1024];
    try (InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream()) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException ignored) {
      // Either side closed.
    } finally {
      close(from);
      close(to);
      sockets.remove(from);
      sockets.remove(to);
    }
  }

  private static void daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
  }

  private static void close(@Nullable AutoCloseable c) {
    if (c != null) {
      try {
        c.close();
      } catch (Exception ignored) {
        // Already closed.
      }
    }
  }
}
