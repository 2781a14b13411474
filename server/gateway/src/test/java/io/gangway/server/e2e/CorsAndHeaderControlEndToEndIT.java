package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gangway.echo.EchoServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The CORS and header-control annotations on real traffic through the Gangway JVM and a real Envoy:
 * preflights answered at the edge, allowed and refused origins, Higress's wildcard origin and
 * defaults, request headers changed before the echo backend sees them and response headers before
 * the client does; then CORS added to and removed from a live route without touching the listener
 * or an open WebSocket.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CorsAndHeaderControlEndToEndIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String LIVE_CORS =
      "  annotations:\n"
          + "    nginx.ingress.kubernetes.io/enable-cors: \"true\"\n"
          + "    nginx.ingress.kubernetes.io/cors-allow-origin: \"https://live.example.com\"\n";

  private EchoServer echo;
  private GatewayHarness gw;

  private String routes(String liveAnnotations) {
    return """
        apiVersion: networking.higress.io/v1
        kind: McpBridge
        metadata: {name: default, namespace: higress-system}
        spec:
          registries:
            - {type: static, name: echo, domain: "127.0.0.1:%d", port: 80}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: cors
          annotations:
            nginx.ingress.kubernetes.io/enable-cors: "true"
            nginx.ingress.kubernetes.io/cors-allow-origin: "https://app.example.com, https://*.foo.com"
            nginx.ingress.kubernetes.io/cors-allow-methods: "GET, POST"
            higress.io/cors-allow-headers: "X-Token"
            nginx.ingress.kubernetes.io/cors-expose-headers: "X-Trace-Id, X-Echo-Backend"
            nginx.ingress.kubernetes.io/cors-allow-credentials: "false"
            nginx.ingress.kubernetes.io/cors-max-age: "600"
        spec:
          rules:
            - host: cors.test
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: echo.static, port: {number: 80}}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: cors-defaults
          annotations: {nginx.ingress.kubernetes.io/enable-cors: "true"}
        spec:
          rules:
            - host: defaults.test
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: echo.static, port: {number: 80}}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: headers
          annotations:
            higress.io/request-header-control-add: |
              x-added "from gateway"
              Host evil.example.com
            higress.io/request-header-control-update: |
              x-env prod
              x-percent 100%%
              x-real-ip 203.0.113.9
            higress.io/request-header-control-remove: "x-secret, :path"
            higress.io/response-header-control-add: "x-served-by gangway"
            higress.io/response-header-control-update: "x-echo-backend edge"
            higress.io/response-header-control-remove: "content-type"
        spec:
          rules:
            - host: headers.test
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: echo.static, port: {number: 80}}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: live
        %s
        spec:
          rules:
            - http:
                paths:
                  - {path: /live, pathType: Prefix, backend: {service: {name: echo.static, port: {number: 80}}}}
        """
        .formatted(echo.port(), liveAnnotations);
  }

  @BeforeAll
  void start() throws Exception {
    echo = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "echo");
    gw = new GatewayHarness(routes(""));
    gw.startJvm();
    gw.startEnvoy();
    GatewayHarness.await(
        "the routes answer",
        Duration.ofSeconds(10),
        () ->
            status("GET", "cors.test", "/", Map.of()) == 200
                && status("GET", "headers.test", "/", Map.of()) == 200);
  }

  @AfterAll
  void stop() {
    if (gw != null) {
      gw.close();
    }
    if (echo != null) {
      echo.close();
    }
  }

  @Test
  @Order(1)
  void preflight_fromAnAllowedOrigin_isAnsweredByEnvoyWithTheConfiguredHeaders() throws Exception {
    Response r = send("OPTIONS", "cors.test", "/api", preflight("https://app.example.com"));

    assertThat(r.status()).isEqualTo(200);
    assertThat(r.header("x-echo-backend")).as("answered at the edge, not by the backend").isNull();
    assertThat(r.header("access-control-allow-origin")).isEqualTo("https://app.example.com");
    assertThat(r.header("access-control-allow-methods")).isEqualTo("GET,POST");
    assertThat(r.header("access-control-allow-headers")).isEqualTo("X-Token");
    assertThat(r.header("access-control-max-age")).isEqualTo("600");
    assertThat(r.header("access-control-allow-credentials"))
        .as("cors-allow-credentials: false")
        .isNull();
  }

  @Test
  @Order(2)
  void preflight_fromAnotherOrigin_getsNoCorsHeadersAndReachesTheBackend() throws Exception {
    Response r = send("OPTIONS", "cors.test", "/api", preflight("https://evil.example.com"));

    assertThat(r.header("access-control-allow-origin")).isNull();
    assertThat(r.header("x-echo-backend"))
        .as("Envoy forwards a preflight it does not allow")
        .isEqualTo("echo");
  }

  @Test
  @Order(3)
  void normalRequest_getsAllowOriginAndExposeHeaders_onlyForAnAllowedOrigin() throws Exception {
    Response allowed =
        send("GET", "cors.test", "/api", Map.of("Origin", "https://app.example.com"));
    assertThat(allowed.status()).isEqualTo(200);
    assertThat(allowed.header("x-echo-backend")).isEqualTo("echo");
    assertThat(allowed.header("access-control-allow-origin")).isEqualTo("https://app.example.com");
    assertThat(allowed.header("access-control-expose-headers"))
        .isEqualTo("X-Trace-Id,X-Echo-Backend");

    Response refused =
        send("GET", "cors.test", "/api", Map.of("Origin", "https://evil.example.com"));
    assertThat(refused.status())
        .as("the request itself is served; the browser enforces CORS")
        .isEqualTo(200);
    assertThat(refused.header("access-control-allow-origin")).isNull();
    assertThat(refused.header("access-control-expose-headers")).isNull();
  }

  @Test
  @Order(4)
  void wildcardOrigin_matchesAnySubdomainWhateverTheScheme_butNotTheDomainItself()
      throws Exception {
    for (String origin : List.of("https://a.foo.com", "https://a.b.foo.com", "http://a.foo.com")) {
      assertThat(
              send("OPTIONS", "cors.test", "/", preflight(origin))
                  .header("access-control-allow-origin"))
          .as(origin)
          .isEqualTo(origin);
    }
    for (String origin :
        List.of("https://foo.com", "https://a.foo.com.evil.com", "https://afoo.com")) {
      assertThat(
              send("OPTIONS", "cors.test", "/", preflight(origin))
                  .header("access-control-allow-origin"))
          .as(origin)
          .isNull();
    }
  }

  @Test
  @Order(5)
  void enableCorsAlone_usesHigressDefaults() throws Exception {
    Response r = send("OPTIONS", "defaults.test", "/", preflight("https://anyone.example.net"));

    assertThat(r.header("x-echo-backend")).isNull();
    assertThat(r.header("access-control-allow-origin")).isEqualTo("https://anyone.example.net");
    assertThat(r.header("access-control-allow-methods"))
        .isEqualTo("GET,PUT,POST,DELETE,PATCH,OPTIONS");
    assertThat(r.header("access-control-allow-headers"))
        .isEqualTo(
            "DNT,X-CustomHeader,Keep-Alive,User-Agent,"
                + "X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Authorization");
    assertThat(r.header("access-control-max-age")).isEqualTo("1728000");
    assertThat(r.header("access-control-allow-credentials")).isEqualTo("true");
  }

  @Test
  @Order(6)
  void headerControl_changesWhatTheBackendSeesAndWhatTheClientGets() throws Exception {
    Response r =
        send(
            "GET",
            "headers.test",
            "/h",
            Map.of(
                "x-added", "from client", "x-env", "dev", "x-secret", "s3cret", "x-kept", "yes"));

    assertThat(r.status())
        .as("the refused host and :path entries did not break the route table")
        .isEqualTo(200);
    JsonNode seen = JSON.readTree(r.body()).get("headers");
    assertThat(seen.get("x-added").asText())
        .as("add appends")
        .isEqualTo("from client, from gateway");
    assertThat(seen.get("x-env").asText()).as("update replaces").isEqualTo("prod");
    assertThat(seen.get("x-percent").asText()).as("values are literal").isEqualTo("100%");
    assertThat(seen.has("x-secret")).as("remove").isFalse();
    assertThat(seen.get("x-kept").asText()).isEqualTo("yes");
    assertThat(seen.get("x-real-ip").asText())
        .as("the gateway's client address wins over an annotation")
        .isEqualTo("127.0.0.1");
    assertThat(JSON.readTree(r.body()).get("host").asText())
        .as("host is not changed")
        .isEqualTo("headers.test");

    assertThat(r.header("x-served-by")).isEqualTo("gangway");
    assertThat(r.header("x-echo-backend"))
        .as("response update replaces the backend's value")
        .isEqualTo("edge");
    assertThat(send("GET", "cors.test", "/h", Map.of()).header("content-type"))
        .as("the backend sends one")
        .isNotNull();
    assertThat(r.header("content-type")).as("response remove").isNull();
    assertThat(gw.gangwayAdmin("/status"))
        .contains("header Host skipped")
        .contains("header :path skipped");
  }

  @Test
  @Order(7)
  void corsAddedAndRemovedOnALiveRoute_changesNoListener_andAnOpenWebSocketKeepsWorking()
      throws Exception {
    long listenerModified = gw.envoyStat("listener_manager.listener_modified");
    assertThat(listenerModified).isNotNegative();
    LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    WebSocket ws =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://127.0.0.1:" + gw.httpPort + "/live/ws"),
                WebSocketEcho.collector(messages))
            .get(5, TimeUnit.SECONDS);
    try {
      ws.sendText("before", true).get(5, TimeUnit.SECONDS);
      assertThat(messages.poll(5, TimeUnit.SECONDS)).isEqualTo("echo:before");
      assertThat(answeredAtEdge()).as("no CORS yet").isFalse();

      gw.writeRoutes(routes(LIVE_CORS));
      GatewayHarness.await(
          "CORS is on for the live route", Duration.ofSeconds(5), this::answeredAtEdge);
      ws.sendText("with-cors", true).get(5, TimeUnit.SECONDS);
      assertThat(messages.poll(5, TimeUnit.SECONDS)).isEqualTo("echo:with-cors");

      gw.writeRoutes(routes(""));
      GatewayHarness.await("CORS is off again", Duration.ofSeconds(5), () -> !answeredAtEdge());
      ws.sendText("after", true).get(5, TimeUnit.SECONDS);
      assertThat(messages.poll(5, TimeUnit.SECONDS))
          .as("the WebSocket survives both edits")
          .isEqualTo("echo:after");
    } finally {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
    }
    assertThat(gw.envoyStat("listener_manager.listener_modified"))
        .as("listeners untouched by CORS edits")
        .isEqualTo(listenerModified);
    assertThat(gw.envoyStat("listener_manager.total_listeners_draining")).isZero();
  }

  private boolean answeredAtEdge() {
    try {
      Response r = send("OPTIONS", "127.0.0.1", "/live/x", preflight("https://live.example.com"));
      return r.status() == 200
          && r.header("x-echo-backend") == null
          && "https://live.example.com".equals(r.header("access-control-allow-origin"));
    } catch (IOException e) {
      return false;
    }
  }

  private static Map<String, String> preflight(String origin) {
    return Map.of("Origin", origin, "Access-Control-Request-Method", "POST");
  }

  private int status(String method, String host, String path, Map<String, String> headers) {
    try {
      return send(method, host, path, headers).status();
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * A response: status, headers by lower-cased name (values of repeated headers in order), body.
   */
  private record Response(int status, Map<String, List<String>> headers, String body) {
    String header(String name) {
      List<String> v = headers.get(name);
      return v == null ? null : String.join(",", v);
    }
  }

  /**
   * Sends one HTTP/1.1 request with any method and headers on a fresh connection and reads the
   * response.
   */
  private Response send(String method, String host, String path, Map<String, String> headers)
      throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", gw.httpPort), 2000);
      s.setSoTimeout(5000);
      StringBuilder req =
          new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
      headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
      req.append("Connection: close\r\n\r\n");
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      int status = Integer.parseInt(line(in).split(" ")[1]);
      Map<String, List<String>> got = new LinkedHashMap<>();
      for (String h = line(in); !h.isEmpty(); h = line(in)) {
        int colon = h.indexOf(':');
        got.computeIfAbsent(
                h.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(h.substring(colon + 1).trim());
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (got.containsKey("content-length")) {
        body.write(in.readNBytes(Integer.parseInt(got.get("content-length").get(0))));
      } else if (String.valueOf(got.get("transfer-encoding")).contains("chunked")) {
        for (int n = Integer.parseInt(line(in).trim(), 16);
            n > 0;
            n = Integer.parseInt(line(in).trim(), 16)) {
          body.write(in.readNBytes(n));
          line(in);
        }
      } else {
        body.write(in.readAllBytes());
      }
      return new Response(status, got, body.toString(StandardCharsets.UTF_8));
    }
  }

  private static String line(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    if (c == -1 && sb.length() == 0) {
      throw new IOException("connection closed");
    }
    return sb.toString();
  }
}
