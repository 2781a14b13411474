package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.echo.EchoServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The rewrite and redirect annotations through the real JVM and a real Envoy: the echo backend
 * reports the path and {@code Host} it received, so each rewrite is checked on what the upstream
 * saw, and each redirect on the status and {@code Location} Envoy answered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RewriteRedirectEndToEndIT {

  private EchoServer echo;
  private GatewayHarness gw;

  private String routes() {
    String b = "backend: {service: {name: a.static, port: {number: 80}}}";
    return """
        apiVersion: networking.higress.io/v1
        kind: McpBridge
        metadata: {name: default, namespace: higress-system}
        spec:
          registries:
            - {type: static, name: a, domain: "127.0.0.1:%d", port: 80}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: capture
          annotations:
            nginx.ingress.kubernetes.io/rewrite-target: /$2
        spec:
          rules:
            - host: capture.test
              http:
                paths:
                  - {path: "/api(/|$)(.*)", pathType: ImplementationSpecific, B}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: rewrite-path
          annotations:
            higress.io/rewrite-path: /v2
            nginx.ingress.kubernetes.io/upstream-vhost: internal.example
        spec:
          rules:
            - host: path.test
              http:
                paths:
                  - {path: /v1, pathType: Prefix, B}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: use-regex
          annotations:
            nginx.ingress.kubernetes.io/use-regex: "true"
        spec:
          rules:
            - host: regex.test
              http:
                paths:
                  - {path: "/items/[0-9]+", pathType: ImplementationSpecific, B}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: permanent
          annotations:
            nginx.ingress.kubernetes.io/permanent-redirect: https://new.example.com/landing
        spec:
          rules:
            - host: permanent.test
              http:
                paths:
                  - {path: /, pathType: Prefix, B}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: permanent-308
          annotations:
            nginx.ingress.kubernetes.io/permanent-redirect: http://moved.example.com:8080
            nginx.ingress.kubernetes.io/permanent-redirect-code: "308"
        spec:
          rules:
            - host: code.test
              http:
                paths:
                  - {path: /, pathType: Prefix, B}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: temporal
          annotations:
            nginx.ingress.kubernetes.io/temporal-redirect: https://temp.example.com/maintenance
            nginx.ingress.kubernetes.io/permanent-redirect: https://ignored.example.com/
        spec:
          rules:
            - host: temporal.test
              http:
                paths:
                  - {path: /, pathType: Prefix, B}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: app-root
          annotations:
            nginx.ingress.kubernetes.io/app-root: /app
        spec:
          rules:
            - host: root.test
              http:
                paths:
                  - {path: /, pathType: Prefix, B}
        """
        .formatted(echo.port())
        .replace("B}", b + "}");
  }

  @BeforeAll
  void start() throws Exception {
    echo = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "a");
    gw = new GatewayHarness(routes());
    gw.startJvm();
    gw.startEnvoy();
    GatewayHarness.await(
        "the routes are served",
        Duration.ofSeconds(10),
        () -> status("regex.test", "/items/1") == 200);
  }

  @AfterAll
  void stop() {
    if (gw != null) {
      gw.close();
    }
    echo.close();
  }

  @Test
  void rewriteTarget_withCaptureGroups_sendsTheRewrittenPathUpstream() throws Exception {
    assertThat(get("capture.test", "/api/users/7?x=1").body())
        .contains("\"path\":\"/users/7?x=1\"");
    assertThat(get("capture.test", "/api").body()).contains("\"path\":\"/\"");
  }

  @Test
  void rewritePath_replacesThePrefix_andUpstreamVhostSetsTheHost() throws Exception {
    Reply r = get("path.test", "/v1/items");
    assertThat(r.body())
        .contains("\"path\":\"/v2/items\"")
        .contains("\"host\":\"internal.example\"");
    assertThat(get("path.test", "/v1").body()).contains("\"path\":\"/v2\"");
    assertThat(get("path.test", "/v1x").status())
        .as("the prefix stays segment-aware")
        .isEqualTo(404);
  }

  @Test
  void useRegex_matchesThePathAsARegularExpression() throws Exception {
    assertThat(get("regex.test", "/items/42/detail").body())
        .contains("\"path\":\"/items/42/detail\"");
    assertThat(status("regex.test", "/items/abc")).isEqualTo(404);
  }

  @Test
  void permanentRedirect_answers301ByDefault_andTheConfiguredCode() throws Exception {
    Reply r = get("permanent.test", "/old/page");
    assertThat(r.status()).isEqualTo(301);
    assertThat(r.headers()).containsEntry("location", "https://new.example.com/landing");
    Reply c = get("code.test", "/keep/this");
    assertThat(c.status()).isEqualTo(308);
    assertThat(c.headers())
        .as("an empty URL path keeps the request path")
        .containsEntry("location", "http://moved.example.com:8080/keep/this");
    assertThat(c.body()).doesNotContain("\"backend\"");
  }

  @Test
  void temporalRedirect_answers302_andWinsOverPermanent() throws Exception {
    Reply r = get("temporal.test", "/x");
    assertThat(r.status()).isEqualTo(302);
    assertThat(r.headers()).containsEntry("location", "https://temp.example.com/maintenance");
  }

  @Test
  void appRoot_redirectsOnlyTheRootPath() throws Exception {
    Reply r = get("root.test", "/");
    assertThat(r.status()).isEqualTo(302);
    assertThat(r.headers().get("location")).isEqualTo("http://root.test/app");
    Reply other = get("root.test", "/app/page");
    assertThat(other.status()).isEqualTo(200);
    assertThat(other.body()).contains("\"path\":\"/app/page\"");
  }

  private int status(String host, String path) {
    try {
      return get(host, path).status();
    } catch (IOException e) {
      return -1;
    }
  }

  /** A response: status, headers (lower-case names, last value wins), body. */
  record Reply(int status, Map<String, String> headers, String body) {}

  /**
   * Sends one GET on a fresh connection, as {@link RawHttp} does, keeping every response header.
   */
  private Reply get(String host, String path) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", gw.httpPort), 2000);
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      int status = Integer.parseInt(line(in).split(" ")[1]);
      Map<String, String> headers = new TreeMap<>();
      for (String h = line(in); !h.isEmpty(); h = line(in)) {
        int colon = h.indexOf(':');
        headers.put(
            h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      if (headers.containsKey("content-length")) {
        body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
      } else {
        body.write(in.readAllBytes());
      }
      return new Reply(status, headers, body.toString(StandardCharsets.UTF_8));
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
    return sb.toString();
  }
}
