package io.gangway.server.devtools;

import java.io.Closeable;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A dependency-free HTTP/1.1 and WebSocket echo backend, used as the quickstart's example upstream
 * and by the end-to-end tests behind a real Envoy.
 *
 * <p>Every HTTP request, whatever its path, is answered with {@code 200} and a JSON document
 * describing it: {@code backend}, {@code method}, {@code path} (the raw request target), {@code
 * host}, {@code headers} (lower-cased names) and {@code body}. {@code /status/NNN} answers with
 * status {@code NNN} instead and {@code /delay/MS} waits {@code MS} milliseconds first. Every
 * response carries {@code x-echo-backend: NAME}. A WebSocket upgrade switches the connection to an
 * echo session: text messages come back as {@code "NAME:" + text}, binary messages unchanged, pings
 * are ponged and a close is answered with a close.
 *
 * <p>Threading: one daemon thread accepts connections and each connection is served by its own
 * daemon thread from a cached pool, so a slow or idle client never delays another. Connections stay
 * open between requests (keep-alive) and have no idle timeout, because a backend that closes pooled
 * connections races with Envoy reusing them and makes end-to-end tests flaky.
 *
 * <p>Lifecycle: {@link #start} binds and returns a running server; {@link #close} stops it, closes
 * every open connection and waits for all its threads. Instances are thread-safe.
 *
 * <p>Nothing is written to standard output: tests start many of these. Only {@link #main} prints a
 * single start line.
 */
public final class EchoServer implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(EchoServer.class.getName());
  private static final int BACKLOG = 128;
  private static final long JOIN_TIMEOUT_MILLIS = 5_000;
  private static final long ACCEPT_FAILURE_PAUSE_MILLIS = 50;

  private final String name;
  private final ServerSocket serverSocket;
  private final ExecutorService connectionPool;
  private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
  private final Thread acceptThread;
  private volatile boolean closed;

  private EchoServer(String name, ServerSocket serverSocket) {
    this.name = name;
    this.serverSocket = serverSocket;
    this.connectionPool = Executors.newCachedThreadPool(daemonThreads("echo-" + name + "-conn-"));
    this.acceptThread = new Thread(this::acceptLoop, "echo-" + name + "-accept");
    this.acceptThread.setDaemon(true);
  }

  /**
   * Binds {@code bind} and starts serving in background daemon threads. The server is accepting
   * connections when this method returns.
   *
   * @param bind the address to listen on; port {@code 0} picks a free port (see {@link #port()})
   * @param name the backend name echoed in bodies and in the {@code x-echo-backend} header;
   *     printable ASCII, because it is written into a header
   * @throws IOException if the address cannot be bound
   * @throws IllegalArgumentException if {@code name} is empty or not printable ASCII
   */
  public static EchoServer start(InetSocketAddress bind, String name) throws IOException {
    Objects.requireNonNull(bind, "bind");
    checkName(name);
    ServerSocket serverSocket = new ServerSocket();
    try {
      serverSocket.setReuseAddress(true);
      serverSocket.bind(bind, BACKLOG);
    } catch (IOException | RuntimeException e) {
      serverSocket.close();
      throw e;
    }
    EchoServer server = new EchoServer(name, serverSocket);
    server.acceptThread.start();
    return server;
  }

  /** Returns the bound local port; useful after binding port {@code 0}. Safe from any thread. */
  public int port() {
    return serverSocket.getLocalPort();
  }

  /**
   * Stops accepting, closes every open connection (HTTP and WebSocket alike, without a close frame)
   * and waits for the server's threads to finish. Idempotent; a concurrent second call waits for
   * the first one to complete. If the calling thread is interrupted, the interrupt flag is restored
   * and shutdown still completes on a best-effort basis.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeQuietly(serverSocket);
    boolean interrupted = join(acceptThread);
    // The accept thread has stopped, so no connection can be registered after this snapshot.
    connections.forEach(EchoServer::closeQuietly);
    connectionPool.shutdownNow(); // interrupts /delay sleeps
    interrupted |= awaitTermination(connectionPool);
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Runs echo backends until the process is killed. Arguments: {@code --listen HOST:PORT}
   * (repeatable, default {@code 127.0.0.1:0}) and {@code --name NAME} (default {@code echo}).
   * Prints one line per listener, {@code echo backend NAME listening on HOST:PORT}, once it accepts
   * connections; port {@code 0} is replaced by the port actually bound.
   */
  public static void main(String[] args) {
    CommandLine commandLine;
    try {
      commandLine = CommandLine.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("echo backend: " + e.getMessage());
      System.err.println(CommandLine.USAGE);
      System.exit(2);
      return;
    }
    List<EchoServer> servers = startAll(commandLine, System.out);
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> servers.forEach(EchoServer::close), "echo-shutdown"));
    awaitForever();
  }

  private static List<EchoServer> startAll(CommandLine commandLine, PrintStream out) {
    List<EchoServer> servers = new ArrayList<>();
    for (CommandLine.Listen listen : commandLine.listens()) {
      try {
        EchoServer server = start(listen.address(), commandLine.name());
        servers.add(server);
        out.println(
            "echo backend "
                + commandLine.name()
                + " listening on "
                + listen.display(server.port()));
        out.flush();
      } catch (IOException | RuntimeException e) {
        System.err.println(
            "echo backend: cannot listen on " + listen.display(listen.port()) + ": " + e);
        servers.forEach(EchoServer::close);
        System.exit(1);
      }
    }
    return servers;
  }

  private static void awaitForever() {
    try {
      new CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        dispatch(serverSocket.accept());
      } catch (IOException e) {
        if (!closed) {
          // Typically EMFILE or an aborted handshake; pause so a persistent failure cannot spin.
          LOG.log(Level.DEBUG, "accept failed on echo backend " + name, e);
          pause();
        }
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "unexpected failure in accept loop of echo backend " + name, e);
      }
    }
  }

  private void dispatch(Socket socket) {
    connections.add(socket);
    try {
      connectionPool.execute(() -> serve(socket));
    } catch (RejectedExecutionException | OutOfMemoryError e) {
      // OutOfMemoryError here means "unable to create native thread": shed just this connection.
      connections.remove(socket);
      closeQuietly(socket);
      if (!closed) {
        LOG.log(Level.WARNING, "echo backend " + name + " cannot start a connection thread", e);
        pause();
      }
    }
  }

  private void serve(Socket socket) {
    try {
      new HttpConnection(socket, name).run();
    } catch (IOException e) {
      // Peer resets, EOF mid-request and close() are normal for a test backend.
      LOG.log(Level.DEBUG, "echo backend " + name + " connection ended", e);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "unexpected failure on echo backend " + name + " connection", e);
    } finally {
      connections.remove(socket);
      closeQuietly(socket);
    }
  }

  /** Rejects names that would corrupt the response header they are written into. */
  static void checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty() || !name.strip().equals(name)) {
      throw new IllegalArgumentException("name must be non-empty without surrounding spaces");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        throw new IllegalArgumentException("name must be printable ASCII: " + name);
      }
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  private static void pause() {
    try {
      Thread.sleep(ACCEPT_FAILURE_PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Joins {@code thread}; returns whether the caller was interrupted while waiting. */
  private static boolean join(Thread thread) {
    boolean interrupted = false;
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_TIMEOUT_MILLIS);
    while (thread.isAlive() && System.nanoTime() < deadline) {
      try {
        thread.join(JOIN_TIMEOUT_MILLIS);
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    return interrupted;
  }

  /** Waits for {@code pool} to finish; returns whether the caller was interrupted while waiting. */
  private static boolean awaitTermination(ExecutorService pool) {
    try {
      pool.awaitTermination(JOIN_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      return false;
    } catch (InterruptedException e) {
      return true;
    }
  }

  static void closeQuietly(Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // Nothing useful to do: the resource is being discarded.
    }
  }
}
