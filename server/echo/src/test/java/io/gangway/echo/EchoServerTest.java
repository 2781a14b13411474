package io.gangway.echo;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class EchoServerTest {

  private static final String NAME = "test-backend";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private EchoServer server;
  private HttpClient client;

  @BeforeEach
  void startServer() throws IOException {
    server = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), NAME);
    client =
        HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(WAIT).build();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void get_anyPath_echoesBackendPathAndHost() throws Exception {
    HttpResponse<String> response = get("/some/path?q=1&r=%20x");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(response.headers().firstValue("x-echo-backend")).hasValue(NAME);
    assertThat(response.body())
        .startsWith("{\"backend\":\"" + NAME + "\",\"method\":\"GET\"")
        .contains("\"path\":\"/some/path?q=1&r=%20x\"")
        .contains("\"host\":\"127.0.0.1:" + server.port() + "\"")
        .endsWith(",\"body\":\"\"}");
  }

  @Test
  void get_withHeaders_echoesLowercasedNamesAndEscapedValues() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(uri("/h"))
            .header("X-Custom-Header", "quote\" backslash\\ end")
            .header("X-Multi", "one")
            .header("X-Multi", "two")
            .build();

    String body = client.send(request, HttpResponse.BodyHandlers.ofString(UTF_8)).body();

    assertThat(body)
        .contains("\"x-custom-header\":\"quote\\\" backslash\\\\ end\"")
        .contains("\"x-multi\":\"one, two\"");
  }

  @Test
  void get_statusPath_answersWithThatStatusAndEchoBody() throws Exception {
    HttpResponse<String> response = get("/status/503");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("\"path\":\"/status/503\"");
  }

  @Test
  void post_status404_answers404WithTheEchoOnce() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(uri("/status/404"))
            .POST(HttpRequest.BodyPublishers.ofString("payload", UTF_8))
            .build();

    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().allValues("x-echo-backend")).containsExactly(NAME);
    assertThat(response.body())
        .contains("\"path\":\"/status/404\"")
        .endsWith("\"body\":\"payload\"}");
  }

  @Test
  void get_status204_answersWithoutBody() throws Exception {
    HttpResponse<String> response = get("/status/204");

    assertThat(response.statusCode()).isEqualTo(204);
    assertThat(response.headers().firstValue("x-echo-backend")).hasValue(NAME);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void get_statusPathOutsideFinalRange_answers400() throws Exception {
    assertThat(get("/status/101").statusCode()).isEqualTo(400);
    assertThat(get("/status/600").statusCode()).isEqualTo(400);
    assertThat(get("/status/abc").statusCode()).isEqualTo(400);
  }

  @Test
  void get_delayPath_answersAfterTheDelay() throws Exception {
    long start = System.nanoTime();

    HttpResponse<String> response = get("/delay/250");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(250));
  }

  @Test
  void post_withBody_echoesBodyAsJsonString() throws Exception {
    String payload = "{\"a\": 1}\n\ttab \u0001 ünïcode";
    HttpRequest request =
        HttpRequest.newBuilder(uri("/submit"))
            .POST(HttpRequest.BodyPublishers.ofString(payload, UTF_8))
            .build();

    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body())
        .contains("\"method\":\"POST\"")
        .contains("\"content-length\":\"" + payload.getBytes(UTF_8).length + "\"")
        .endsWith("\"body\":\"{\\\"a\\\": 1}\\n\\ttab \\u0001 ünïcode\"}");
  }

  @Test
  void rawSocket_twoRequestsOnOneConnection_bothAnswered() throws Exception {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();

      write(out, "GET /first HTTP/1.1\r\nHost: a\r\n\r\n");
      RawResponse first = RawResponse.read(in);
      write(out, "POST /second HTTP/1.1\r\nHost: b\r\nContent-Length: 3\r\n\r\nabc");
      RawResponse second = RawResponse.read(in);

      assertThat(first.status()).isEqualTo(200);
      assertThat(first.headers()).doesNotContainKey("connection");
      assertThat(first.body()).contains("\"path\":\"/first\"", "\"host\":\"a\"");
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.body()).contains("\"path\":\"/second\"", "\"body\":\"abc\"");
    }
  }

  @Test
  void rawSocket_connectionClose_answersThenCloses() throws Exception {
    try (Socket socket = connect()) {
      write(socket.getOutputStream(), "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

      RawResponse response = RawResponse.read(socket.getInputStream());

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.headers()).containsEntry("connection", "close");
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void rawSocket_http10_closesUnlessKeepAliveRequested() throws Exception {
    try (Socket socket = connect()) {
      write(socket.getOutputStream(), "GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
      RawResponse kept = RawResponse.read(socket.getInputStream());
      write(socket.getOutputStream(), "GET /b HTTP/1.0\r\n\r\n");
      RawResponse closing = RawResponse.read(socket.getInputStream());

      assertThat(kept.headers()).containsEntry("connection", "keep-alive");
      assertThat(kept.body()).contains("\"host\":null");
      assertThat(closing.headers()).containsEntry("connection", "close");
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void rawSocket_chunkedBody_isReassembled() throws Exception {
    try (Socket socket = connect()) {
      write(
          socket.getOutputStream(),
          "POST /chunked HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
              + "5;ext=1\r\nhello\r\n7\r\n, world\r\n0\r\nX-Trailer: t\r\n\r\n"
              + "GET /after HTTP/1.1\r\nHost: a\r\n\r\n");

      RawResponse chunked = RawResponse.read(socket.getInputStream());
      RawResponse after = RawResponse.read(socket.getInputStream());

      assertThat(chunked.body()).contains("\"body\":\"hello, world\"");
      assertThat(after.body()).contains("\"path\":\"/after\"");
    }
  }

  @Test
  void rawSocket_malformedRequest_answers400AndClosesButServerKeepsAccepting() throws Exception {
    try (Socket socket = connect()) {
      write(socket.getOutputStream(), "NOT A VALID REQUEST LINE\r\n\r\n");

      RawResponse response = RawResponse.read(socket.getInputStream());

      assertThat(response.status()).isEqualTo(400);
      assertThat(response.headers()).containsEntry("x-echo-backend", NAME);
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(get("/still-alive").statusCode()).isEqualTo(200);
  }

  @Test
  void rawSocket_conflictingFraming_answers400() throws Exception {
    try (Socket socket = connect()) {
      write(
          socket.getOutputStream(),
          "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n");

      assertThat(RawResponse.read(socket.getInputStream()).status()).isEqualTo(400);
    }
  }

  @Test
  void rawSocket_headOver64KiB_answers431() throws Exception {
    try (Socket socket = connect()) {
      String big = "x".repeat(70 * 1024);
      write(socket.getOutputStream(), "GET / HTTP/1.1\r\nHost: a\r\nX-Big: " + big + "\r\n\r\n");

      assertThat(RawResponse.read(socket.getInputStream()).status()).isEqualTo(431);
    }
  }

  @Test
  void webSocket_textMessage_echoedWithBackendPrefix() throws Exception {
    RecordingListener listener = new RecordingListener();
    WebSocket webSocket = openWebSocket(listener);

    webSocket.sendText("hello", true).get(10, TimeUnit.SECONDS);

    assertThat(listener.texts.poll(10, TimeUnit.SECONDS)).isEqualTo(NAME + ":hello");
    webSocket.abort();
  }

  @Test
  void webSocket_70000ByteMessage_roundTrips() throws Exception {
    RecordingListener listener = new RecordingListener();
    WebSocket webSocket = openWebSocket(listener);
    StringBuilder message = new StringBuilder(70_000);
    for (int i = 0; i < 70_000; i++) {
      message.append((char) ('a' + i % 26));
    }

    webSocket.sendText(message, true).get(10, TimeUnit.SECONDS);

    assertThat(listener.texts.poll(10, TimeUnit.SECONDS)).isEqualTo(NAME + ":" + message);
    webSocket.abort();
  }

  @Test
  void webSocket_fragmentedMessage_reassembledBeforeEcho() throws Exception {
    RecordingListener listener = new RecordingListener();
    WebSocket webSocket = openWebSocket(listener);

    webSocket.sendText("frag", false).get(10, TimeUnit.SECONDS);
    webSocket.sendPing(ByteBuffer.wrap("mid".getBytes(UTF_8))).get(10, TimeUnit.SECONDS);
    webSocket.sendText("ment", true).get(10, TimeUnit.SECONDS);

    assertThat(listener.pongs.poll(10, TimeUnit.SECONDS)).isEqualTo("mid");
    assertThat(listener.texts.poll(10, TimeUnit.SECONDS)).isEqualTo(NAME + ":fragment");
    webSocket.abort();
  }

  @Test
  void webSocket_binaryMessage_echoedUnchanged() throws Exception {
    RecordingListener listener = new RecordingListener();
    WebSocket webSocket = openWebSocket(listener);
    byte[] payload = new byte[300]; // over 125 bytes: exercises the 16-bit length form
    for (int i = 0; i < payload.length; i++) {
      payload[i] = (byte) i;
    }

    webSocket.sendBinary(ByteBuffer.wrap(payload), true).get(10, TimeUnit.SECONDS);

    assertThat(listener.binaries.poll(10, TimeUnit.SECONDS)).isEqualTo(payload);
    webSocket.abort();
  }

  @Test
  void webSocket_close_answeredWithCloseFrame() throws Exception {
    RecordingListener listener = new RecordingListener();
    WebSocket webSocket = openWebSocket(listener);

    webSocket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);

    assertThat(listener.closeCode.get(10, TimeUnit.SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
    assertThat(webSocket.isInputClosed()).isTrue();
  }

  @Test
  void rawSocket_webSocketUpgrade_answers101WithBackendHeader() throws Exception {
    try (Socket socket = connect()) {
      write(
          socket.getOutputStream(),
          "GET /any/path?x=1 HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");

      RawResponse response = RawResponse.read(socket.getInputStream());

      assertThat(response.status()).isEqualTo(101);
      assertThat(response.headers())
          .containsEntry("sec-websocket-accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
          .containsEntry("x-echo-backend", NAME)
          .doesNotContainKey("set-cookie");
    }
  }

  @Test
  void rawSocket_unknownMethod_echoedLikeAnyOther() throws Exception {
    try (Socket socket = connect()) {
      write(socket.getOutputStream(), "PROPFIND /dav HTTP/1.1\r\nHost: a\r\n\r\n");

      RawResponse response = RawResponse.read(socket.getInputStream());

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).contains("\"method\":\"PROPFIND\"", "\"path\":\"/dav\"");
    }
  }

  @Test
  void rawSocket_rootAndEncodedPath_echoedAsSent() throws Exception {
    try (Socket socket = connect()) {
      write(socket.getOutputStream(), "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
      RawResponse root = RawResponse.read(socket.getInputStream());
      write(socket.getOutputStream(), "GET /a%2Fb//c?q=%41 HTTP/1.1\r\nHost: a\r\n\r\n");
      RawResponse encoded = RawResponse.read(socket.getInputStream());

      assertThat(root.body()).contains("\"path\":\"/\"");
      assertThat(encoded.status()).isEqualTo(200);
      assertThat(encoded.body()).contains("\"path\":\"/a%2Fb//c?q=%41\"");
    }
  }

  @Test
  void webSocket_ping_answeredWithPong() throws Exception {
    RecordingListener listener = new RecordingListener();
    WebSocket webSocket = openWebSocket(listener);

    webSocket.sendPing(ByteBuffer.wrap("are you there".getBytes(UTF_8))).get(10, TimeUnit.SECONDS);

    assertThat(listener.pongs.poll(10, TimeUnit.SECONDS)).isEqualTo("are you there");
    webSocket.abort();
  }

  @Test
  void close_withOpenWebSocket_dropsItsConnection() throws Exception {
    // A raw socket, not java.net.http's WebSocket: what close() promises is that the TCP connection
    // ends, and a client library's way of noticing an EOF without a close frame is not ours to
    // test.
    try (Socket socket = connect()) {
      write(
          socket.getOutputStream(),
          "GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
      assertThat(RawResponse.read(socket.getInputStream()).status()).isEqualTo(101);
      byte[] mask = {1, 2, 3, 4};
      byte[] payload = "hi".getBytes(UTF_8);
      ByteArrayOutputStream frame = new ByteArrayOutputStream();
      frame.write(0x81); // FIN, text
      frame.write(0x80 | payload.length); // masked, as every client frame must be
      frame.write(mask);
      for (int i = 0; i < payload.length; i++) {
        frame.write(payload[i] ^ mask[i % 4]);
      }
      socket.getOutputStream().write(frame.toByteArray());
      socket.getOutputStream().flush();
      byte[] echoed = (NAME + ":hi").getBytes(UTF_8);
      byte[] head = socket.getInputStream().readNBytes(2);
      byte[] body = socket.getInputStream().readNBytes(echoed.length);
      assertThat(head).containsExactly(0x81, echoed.length);
      assertThat(body).isEqualTo(echoed);

      server.close();

      // Whatever the server still writes (at most a close frame), the connection must then end;
      // a connection left open fails here with a read timeout after WAIT.
      long extra = 0;
      while (readOrReset(socket.getInputStream()) != -1) {
        extra++;
      }
      assertThat(extra).isLessThanOrEqualTo(125 + 2);
    }
  }

  @Test
  void close_withOpenKeepAliveConnection_closesItAndIsIdempotent() throws Exception {
    try (Socket socket = connect()) {
      write(socket.getOutputStream(), "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
      assertThat(RawResponse.read(socket.getInputStream()).status()).isEqualTo(200);

      server.close();
      server.close();

      assertThat(readOrReset(socket.getInputStream())).isEqualTo(-1);
    }
    assertThatThrownBy(this::connect).isInstanceOf(IOException.class);
  }

  @Test
  void close_afterTraffic_leavesNoThreadOfTheServerRunning() throws Exception {
    assertThat(get("/delay/10").statusCode()).isEqualTo(200);
    assertThat(serverThreads()).isNotEmpty().allMatch(Thread::isDaemon);

    server.close();

    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!serverThreads().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(serverThreads()).isEmpty();
  }

  @Test
  void start_portInUse_throwsIoException() {
    InetSocketAddress taken = new InetSocketAddress("127.0.0.1", server.port());

    assertThatThrownBy(() -> EchoServer.start(taken, "second")).isInstanceOf(IOException.class);
  }

  @Test
  void start_invalidName_isRejected() {
    InetSocketAddress bind = new InetSocketAddress("127.0.0.1", 0);

    assertThatThrownBy(() -> EchoServer.start(bind, "bad\r\nname"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void commandLine_listenAndName_parsed() {
    CommandLine commandLine =
        CommandLine.parse(new String[] {"--listen", "[::1]:8081", "--name=orders"});

    assertThat(commandLine.name()).isEqualTo("orders");
    assertThat(commandLine.listens()).containsExactly(new CommandLine.Listen("::1", 8081));
    assertThat(commandLine.listens().get(0).display(8081)).isEqualTo("[::1]:8081");
  }

  private static List<Thread> serverThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> thread.isAlive() && thread.getName().startsWith("echo-" + NAME))
        .toList();
  }

  private HttpResponse<String> get(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(WAIT).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString(UTF_8));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private WebSocket openWebSocket(RecordingListener listener) throws Exception {
    URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/ws");
    return client.newWebSocketBuilder().buildAsync(uri, listener).get(10, TimeUnit.SECONDS);
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket("127.0.0.1", server.port());
    socket.setSoTimeout((int) WAIT.toMillis()); // a server bug fails the test instead of hanging it
    return socket;
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(UTF_8));
    out.flush();
  }

  /** A closed connection reads as EOF or, if the kernel raced a reset, as an exception. */
  private static int readOrReset(InputStream in) throws IOException {
    try {
      return in.read();
    } catch (SocketException e) {
      return -1;
    }
  }

  /** A response read from a raw socket: only what these tests need from RFC 9112. */
  private record RawResponse(int status, Map<String, String> headers, String body) {

    static RawResponse read(InputStream in) throws IOException {
      String[] lines = readHead(in).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> headers = new LinkedHashMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(
            lines[i].substring(0, colon).toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
      int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
      return new RawResponse(status, headers, new String(in.readNBytes(length), UTF_8));
    }

    private static String readHead(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(US_ASCII).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IOException("connection closed before response head: " + head);
        }
        head.write(b);
      }
      String text = head.toString(US_ASCII);
      return text.substring(0, text.length() - 4);
    }
  }

  /** Collects complete messages; the client calls a listener sequentially, never concurrently. */
  private static final class RecordingListener implements WebSocket.Listener {

    final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> binaries = new LinkedBlockingQueue<>();
    final BlockingQueue<String> pongs = new LinkedBlockingQueue<>();
    final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

    /** Completes on a close frame or on an error such as the connection dropping. */
    final CompletableFuture<Void> closed = new CompletableFuture<>();

    private final StringBuilder text = new StringBuilder();
    private final ByteArrayOutputStream binary = new ByteArrayOutputStream();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        texts.add(text.toString());
        text.setLength(0);
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] bytes = new byte[data.remaining()];
      data.get(bytes);
      binary.writeBytes(bytes);
      if (last) {
        binaries.add(binary.toByteArray());
        binary.reset();
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
      pongs.add(UTF_8.decode(message).toString());
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closeCode.complete(statusCode);
      closed.complete(null);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closeCode.completeExceptionally(error);
      closed.complete(null);
    }
  }
}
