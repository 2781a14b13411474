package io.gangway.server.devtools;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;

/**
 * Serves the requests of one accepted connection until it is closed, switching to a {@link
 * WebSocketSession} on upgrade. Runs entirely on the connection's own thread; the caller closes the
 * socket afterwards.
 */
final class HttpConnection {

  private static final long MAX_DELAY_MILLIS = 300_000;
  private static final int LINGER_MILLIS = 1_000;
  private static final int LINGER_MAX_BYTES = 1024 * 1024;

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

  private final Socket socket;
  private final String backend;
  private final InputStream in;
  private final OutputStream out;
  private final HttpRequestReader reader;

  HttpConnection(Socket socket, String backend) throws IOException {
    this.socket = socket;
    this.backend = backend;
    socket.setTcpNoDelay(true); // responses are written whole; do not hold back their last segment
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = new BufferedOutputStream(socket.getOutputStream());
    this.reader = new HttpRequestReader(in);
  }

  /** Serves requests until the peer or a {@code Connection: close} ends the conversation. */
  void run() throws IOException {
    try {
      while (serveOne()) {
        // Keep-alive: read the next request from the same connection.
      }
    } catch (HttpProtocolException e) {
      writeResponse(e.status(), Json.error(backend, e.getMessage()), false, false, List.of());
      lingeringClose();
    }
  }

  /** Serves one request; returns whether the connection stays open for another. */
  private boolean serveOne() throws IOException, HttpProtocolException {
    RequestHead head = reader.readHead();
    if (head == null) {
      return false;
    }
    if (head.isWebSocketUpgrade()) {
      reader.readBody(head); // normally empty; read so a body cannot be mistaken for frames
      return upgrade(head);
    }
    if (head.expectsContinue() && hasBody(head)) {
      writeRaw("HTTP/1.1 100 Continue\r\n\r\n");
    }
    byte[] body = reader.readBody(head);
    Behavior behavior = Behavior.of(head.path());
    if (behavior.delayMillis() > 0 && !sleep(behavior.delayMillis())) {
      return false;
    }
    boolean keepAlive = head.keepAlive();
    boolean http10KeepAlive = keepAlive && !head.isHttp11();
    List<String> extra = http10KeepAlive ? List.of("Connection: keep-alive") : List.of();
    boolean headOnly = head.method().equals("HEAD");
    writeResponse(behavior.status(), Json.echo(backend, head, body), keepAlive, headOnly, extra);
    return keepAlive;
  }

  /** Completes the opening handshake and runs the echo session; always ends the connection. */
  private boolean upgrade(RequestHead head) throws IOException, HttpProtocolException {
    String key = head.header("sec-websocket-key");
    if (!head.method().equals("GET") || !head.isHttp11() || !WebSocketSession.isValidKey(key)) {
      throw HttpProtocolException.badRequest("invalid WebSocket handshake");
    }
    String version = head.header("sec-websocket-version");
    if (version != null && !version.trim().equals("13")) {
      byte[] body = Json.error(backend, "unsupported WebSocket version " + version);
      writeResponse(426, body, false, false, List.of("Sec-WebSocket-Version: 13"));
      return false;
    }
    // Offered subprotocols and extensions are declined: echoing needs none, and an extension
    // such as permessage-deflate would change the framing this codec implements.
    String accept = WebSocketSession.acceptKey(key);
    writeRaw(
        "HTTP/1.1 101 Switching Protocols\r\n"
            + "Upgrade: websocket\r\n"
            + "Connection: Upgrade\r\n"
            + ("Sec-WebSocket-Accept: " + accept + "\r\n")
            + ("x-echo-backend: " + backend + "\r\n")
            + "\r\n");
    new WebSocketSession(in, out, backend).run();
    return false;
  }

  /**
   * Writes a complete response. {@code Content-Length} is always sent, except for 204 and 304,
   * which cannot have content (RFC 9110 sections 8.6 and 15.4.5). HEAD gets the headers only.
   */
  private void writeResponse(
      int status, byte[] body, boolean keepAlive, boolean headOnly, List<String> extraHeaders)
      throws IOException {
    boolean bodyless = status == 204 || status == 304;
    StringBuilder head = new StringBuilder(160);
    head.append("HTTP/1.1 ").append(status).append(' ').append(reasonPhrase(status)).append("\r\n");
    if (!bodyless) {
      head.append("Content-Type: application/json\r\n");
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    head.append("x-echo-backend: ").append(backend).append("\r\n");
    if (!keepAlive) {
      head.append("Connection: close\r\n");
    }
    extraHeaders.forEach(header -> head.append(header).append("\r\n"));
    out.write(head.append("\r\n").toString().getBytes(ISO_8859_1));
    if (!bodyless && !headOnly) {
      out.write(body);
    }
    out.flush();
  }

  private void writeRaw(String text) throws IOException {
    out.write(text.getBytes(ISO_8859_1));
    out.flush();
  }

  private static boolean hasBody(RequestHead head) {
    String contentLength = head.header("content-length");
    return head.header("transfer-encoding") != null
        || (contentLength != null && !contentLength.trim().equals("0"));
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

  /**
   * Closes after an error response without losing it: closing a socket with unread input makes the
   * kernel send RST, which can discard the response before the client reads it. So half-close, then
   * drain (bounded in time and bytes) until the client closes its side.
   */
  private void lingeringClose() {
    try {
      socket.shutdownOutput();
      socket.setSoTimeout(LINGER_MILLIS);
      byte[] sink = new byte[8192];
      for (long drained = 0; drained < LINGER_MAX_BYTES; ) {
        int read = in.read(sink);
        if (read < 0) {
          return;
        }
        drained += read;
      }
    } catch (IOException e) {
      // Timeout, reset or EchoServer.close(): give up protecting the response; the caller closes.
    }
  }

  private static String reasonPhrase(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 201 -> "Created";
      case 202 -> "Accepted";
      case 204 -> "No Content";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 304 -> "Not Modified";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 413 -> "Content Too Large";
      case 426 -> "Upgrade Required";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 502 -> "Bad Gateway";
      case 503 -> "Service Unavailable";
      case 504 -> "Gateway Timeout";
      default -> "Status " + status; // the reason phrase is informational only (RFC 9112 4)
    };
  }
}
