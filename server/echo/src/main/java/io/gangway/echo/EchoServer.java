package io.gangway.echo;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.util.JavalinException;
import io.javalin.websocket.WsConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.eclipse.jetty.websocket.api.Session;

/**
 * {@code EchoServer} is an HTTP/1.1 and WebSocket echo backend on Javalin (Jetty underneath), used
 * as the quickstart's example upstream ({@code gangway echo}) and by the end-to-end tests behind a
 * real Envoy.
 *
 * <p>Every HTTP request, whatever its method and path, is answered with {@code 200} and a JSON
 * document describing it: {@code backend}, {@code method}, {@code path} (the raw request target,
 * query included), {@code host}, {@code headers} (lower-cased names, repeated headers joined with
 * {@code ", "}) and {@code body}. {@code /status/NNN} answers with status {@code NNN} (200 to 599)
 * instead and {@code /delay/MS} waits {@code MS} milliseconds (at most five minutes) first; other
 * values answer {@code 400}. Every response, errors included, carries {@code x-echo-backend: NAME}.
 * A WebSocket upgrade on any path switches the connection to an echo session: text messages come
 * back as {@code "NAME:" + text}, binary messages unchanged, pings are ponged and a close is
 * answered with a close.
 *
 * <p>Threading: requests run on a Jetty thread pool of daemon threads, so a slow or idle client
 * never delays another. Connections stay open between requests (keep-alive) and have no practical
 * idle timeout (a day, WebSockets included), because a backend that closes pooled connections races
 * with Envoy reusing them and makes end-to-end tests flaky.
 *
 * <p>Lifecycle: {@link #start} binds and returns a running server; {@link #close} stops it and
 * closes every open connection and WebSocket. Instances are thread-safe.
 *
 * <p>Nothing is written to standard output per request and Javalin's banner is off: tests start
 * many of these. Javalin and Jetty log through SLF4J only. Only {@link #main} prints a single start
 * line per listener.
 */
public final class EchoServer implements AutoCloseable {

  // Limits kept from the hand-written server this replaced: 64 KiB of head, 16 MiB of body.
  private static final int MAX_HEAD_BYTES = 64 * 1024;
  private static final long MAX_BODY_BYTES = 16L * 1024 * 1024;
  private static final long MAX_DELAY_MILLIS = 300_000;
  private static final Duration IDLE_TIMEOUT = Duration.ofDays(1);
  private static final int STOP_TIMEOUT_MILLIS = 2_000;
  private static final String BACKEND_HEADER = "x-echo-backend";
  private static final String JSON = "application/json";

  private final Javalin app;
  private final Set<Session> webSockets;
  private final int port;
  private boolean closed;

  private EchoServer(Javalin app, Set<Session> webSockets) {
    this.app = app;
    this.webSockets = webSockets;
    this.port = app.port();
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
    Set<Session> webSockets = ConcurrentHashMap.newKeySet();
    Javalin app = Javalin.create(cfg -> configure(cfg, bind, name, webSockets));
    try {
      app.start();
    } catch (JavalinException e) {
      app.stop();
      for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
        if (cause instanceof IOException io) {
          throw io;
        }
      }
      throw e;
    }
    return new EchoServer(app, webSockets);
  }

  /** Returns the bound local port; useful after binding port {@code 0}. Safe from any thread. */
  public int port() {
    return port;
  }

  /**
   * Stops accepting, closes every open connection (HTTP and WebSocket alike) and stops the server's
   * threads. Idempotent; a concurrent second call waits for the first one to complete.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    // Drop upgraded connections first, as a crashed backend would, while Jetty's selector and
    // threads still run: stopping Jetty starts a close handshake that can stall half-way once its
    // threads are gone, and its onClose callback takes the session out of this set before we could
    // disconnect it (CI saw a WebSocket left open for > 10 s that way).
    webSockets.forEach(Session::disconnect);
    app.stop();
    // A WebSocket upgraded between the first pass and the stop.
    webSockets.forEach(Session::disconnect);
    webSockets.clear();
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

  private static void configure(
      JavalinConfig cfg, InetSocketAddress bind, String name, Set<Session> webSockets) {
    cfg.startup.showJavalinBanner = false;
    cfg.startup.showOldJavalinVersionWarning = false;
    cfg.startup.startupWatcherEnabled = false;
    cfg.http.compressionStrategy = CompressionStrategy.NONE;
    cfg.http.maxRequestSize = MAX_BODY_BYTES;

    QueuedThreadPool threads = new QueuedThreadPool(200, 4);
    threads.setName("echo-" + name);
    threads.setDaemon(true);
    threads.setStopTimeout(STOP_TIMEOUT_MILLIS);
    cfg.jetty.threadPool = threads;
    cfg.jetty.modifyHttpConfiguration(http -> configureHttp(http, name));
    cfg.jetty.addConnector((server, http) -> connector(server, http, bind, name));
    cfg.jetty.modifyServer(server -> server.setErrorHandler(new EchoErrorHandler(name)));
    // Echo the target as sent: Jetty rejects ambiguous paths (%2F, //, ..) unless told otherwise.
    // Javalin opens a servlet session on a WebSocket upgrade; keep its cookie off the 101.
    cfg.jetty.modifyServletContextHandler(
        context -> {
          context.getServletHandler().setDecodeAmbiguousURIs(true);
          if (context.getSessionHandler() != null) {
            context.getSessionHandler().setUsingCookies(false);
          }
        });
    cfg.jetty.modifyWebSocketServletFactory(
        factory -> {
          factory.setIdleTimeout(IDLE_TIMEOUT);
          factory.setMaxTextMessageSize(MAX_BODY_BYTES);
          factory.setMaxBinaryMessageSize(MAX_BODY_BYTES);
        });

    for (HandlerType type : HandlerType.values()) {
      if (type.isHttpMethod()) {
        cfg.routes.addHttpHandler(type, "*", ctx -> echo(ctx, name));
      }
    }
    // Javalin answers methods it has no route for (PROPFIND, ...) with 404: echo those too.
    cfg.routes.error(HttpStatus.NOT_FOUND_404, ctx -> echo(ctx, name));
    cfg.routes.ws("*", ws -> echoWebSocket(ws, name, webSockets));
  }

  private static void configureHttp(HttpConfiguration http, String name) {
    http.setRequestHeaderSize(MAX_HEAD_BYTES);
    http.setSendServerVersion(false);
    http.setSendXPoweredBy(false);
    http.setUriCompliance(UriCompliance.UNSAFE);
    // Runs for every parsed request, WebSocket upgrades included; EchoErrorHandler covers the rest.
    http.addCustomizer(
        (request, responseHeaders) -> {
          responseHeaders.put(BACKEND_HEADER, name);
          return request;
        });
  }

  private static ServerConnector connector(
      org.eclipse.jetty.server.Server server,
      HttpConfiguration http,
      InetSocketAddress bind,
      String name) {
    // A connector scheduler of our own, because the server's default one has non-daemon threads.
    ScheduledExecutorScheduler scheduler =
        new ScheduledExecutorScheduler("echo-" + name + "-scheduler", true);
    ServerConnector connector =
        new ServerConnector(server, null, scheduler, null, -1, -1, new HttpConnectionFactory(http));
    connector.setHost(bind.getAddress().getHostAddress());
    connector.setPort(bind.getPort());
    connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
    connector.setReuseAddress(true);
    return connector;
  }

  private static void echo(Context ctx, String name) {
    String target = ctx.req().getRequestURI();
    String query = ctx.req().getQueryString();
    if (query != null) {
      target += "?" + query;
    }
    Behavior behavior = Behavior.of(ctx.path());
    if (behavior.delayMillis() > 0 && !sleep(behavior.delayMillis())) {
      return;
    }
    if (ctx.req().getProtocol().equals("HTTP/1.0") && !keepAliveRequested(ctx)) {
      ctx.header("Connection", "close");
    }
    byte[] body =
        Json.echo(
            name,
            ctx.method().name(),
            target,
            ctx.req().getHeader("host"),
            headers(ctx),
            ctx.bodyAsBytes());
    ctx.status(behavior.status());
    if (behavior.status() != HttpStatus.NO_CONTENT_204
        && behavior.status() != HttpStatus.NOT_MODIFIED_304) {
      ctx.contentType(JSON);
      ctx.result(body);
    }
  }

  private static boolean keepAliveRequested(Context ctx) {
    String connection = ctx.req().getHeader("connection");
    return connection != null && connection.toLowerCase(Locale.ROOT).contains("keep-alive");
  }

  /** The request headers in arrival order, names lower-cased, repeated values joined. */
  private static Map<String, String> headers(Context ctx) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String header : Collections.list(ctx.req().getHeaderNames())) {
      String key = header.toLowerCase(Locale.ROOT);
      String values = String.join(", ", Collections.list(ctx.req().getHeaders(header)));
      headers.merge(key, values, (a, b) -> a + ", " + b);
    }
    return headers;
  }

  private static void echoWebSocket(WsConfig ws, String name, Set<Session> webSockets) {
    ws.onConnect(ctx -> webSockets.add(ctx.session));
    ws.onClose(ctx -> webSockets.remove(ctx.session));
    ws.onError(ctx -> webSockets.remove(ctx.session));
    ws.onMessage(ctx -> ctx.send(name + ":" + ctx.message()));
    ws.onBinaryMessage(
        ctx -> {
          ByteBuffer data = ctx.data();
          ByteBuffer copy = ByteBuffer.allocate(data.remaining());
          copy.put(data.duplicate()).flip();
          ctx.send(copy);
        });
  }

  /** Sleeps for {@code /delay}; returns false if interrupted, which means the server is closing. */
  private static boolean sleep(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** What the path asks for: {@code /status/NNN} and {@code /delay/MS}; anything else is 200. */
  private record Behavior(int status, long delayMillis) {

    static Behavior of(String path) {
      if (path.startsWith("/status/")) {
        long status = parseDigits(path.substring("/status/".length()), 3);
        // 1xx are interim, not final, responses: a client would wait for another one.
        return new Behavior(status >= 200 && status <= 599 ? (int) status : 400, 0);
      }
      if (path.startsWith("/delay/")) {
        long millis = parseDigits(path.substring("/delay/".length()), 9);
        boolean valid = millis >= 0 && millis <= MAX_DELAY_MILLIS;
        return new Behavior(valid ? 200 : 400, valid ? millis : 0);
      }
      return new Behavior(200, 0);
    }

    /** ASCII digits only, at most {@code maxDigits}; {@code -1} otherwise. */
    private static long parseDigits(String value, int maxDigits) {
      if (value.isEmpty() || value.length() > maxDigits) {
        return -1;
      }
      for (int i = 0; i < value.length(); i++) {
        if (value.charAt(i) < '0' || value.charAt(i) > '9') {
          return -1;
        }
      }
      return Long.parseLong(value);
    }
  }

  /**
   * Answers what Jetty refuses before any handler runs (a malformed request line, a head over 64
   * KiB, conflicting framing) with the backend header and a JSON body naming the refusal.
   */
  private static final class EchoErrorHandler extends ErrorHandler {

    private final String name;

    EchoErrorHandler(String name) {
      this.name = name;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      response.getHeaders().put(BACKEND_HEADER, name);
      int status = response.getStatus();
      if (status == HttpStatus.NO_CONTENT_204 || status == HttpStatus.NOT_MODIFIED_304) {
        callback.succeeded();
        return true;
      }
      Object message = request.getAttribute(ERROR_MESSAGE);
      String text = message != null ? message.toString() : HttpStatus.getMessage(status);
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
      response.write(true, ByteBuffer.wrap(Json.error(name, text)), callback);
      return true;
    }
  }
}
