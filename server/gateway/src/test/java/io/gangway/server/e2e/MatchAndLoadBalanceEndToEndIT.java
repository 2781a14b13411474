package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.echo.EchoServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The matching and load-balancing annotation families through a real Envoy, with three echo
 * endpoints ({@code a}, {@code b}, {@code c}) behind several static registries: method, header,
 * query and case-insensitive path matches route as annotated; {@code least_conn} and {@code random}
 * are accepted and spread load; {@code upstream-hash-by $http_x_user} keeps one user on one
 * endpoint; cookie affinity sets {@code INGRESSCOOKIE} and keeps the client on one endpoint.
 */
class MatchAndLoadBalanceEndToEndIT {

  private static EchoServer a;
  private static EchoServer b;
  private static EchoServer c;
  private static GatewayHarness gw;

  private static String ingress(
      String name, String ts, String annotations, String host, String path, String svc) {
    return """
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: %s
          creationTimestamp: "%s"
          annotations: %s
        spec:
          rules:
            - host: %s
              http:
                paths:
                  - {path: %s, pathType: Prefix, backend: {service: {name: %s.static, port: {number: 80}}}}
        """
        .formatted(name, ts, annotations, host, path, svc);
  }

  private static String routes() {
    String all = "127.0.0.1:" + a.port() + ",127.0.0.1:" + b.port() + ",127.0.0.1:" + c.port();
    StringBuilder s =
        new StringBuilder(
            """
        apiVersion: networking.higress.io/v1
        kind: McpBridge
        metadata: {name: default, namespace: higress-system}
        spec:
          registries:
        """);
    s.append("    - {type: static, name: a, domain: \"127.0.0.1:")
        .append(a.port())
        .append("\", port: 80}\n");
    s.append("    - {type: static, name: b, domain: \"127.0.0.1:")
        .append(b.port())
        .append("\", port: 80}\n");
    s.append("    - {type: static, name: c, domain: \"127.0.0.1:")
        .append(c.port())
        .append("\", port: 80}\n");
    for (String pool :
        new String[] {"pool-lc", "pool-random", "pool-hash", "pool-cookie", "pool-rr"}) {
      s.append("    - {type: static, name: ")
          .append(pool)
          .append(", domain: \"")
          .append(all)
          .append("\", port: 80}\n");
    }
    s.append(
        ingress(
            "m-get",
            "2026-01-01T00:00:00Z",
            "{higress.io/match-method: get}",
            "match.test",
            "/m",
            "a"));
    s.append(
        ingress(
            "m-header",
            "2026-01-02T00:00:00Z",
            "{higress.io/exact-match-header-X-Env: canary}",
            "match.test",
            "/h",
            "b"));
    s.append(ingress("m-header-plain", "2026-01-03T00:00:00Z", "{}", "match.test", "/h", "a"));
    s.append(
        ingress(
            "m-query",
            "2026-01-04T00:00:00Z",
            "{higress.io/regex-match-query-v: \"2|3\"}",
            "match.test",
            "/q",
            "c"));
    s.append(ingress("m-query-plain", "2026-01-05T00:00:00Z", "{}", "match.test", "/q", "a"));
    s.append(
        ingress(
            "m-pseudo",
            "2026-01-06T00:00:00Z",
            "{higress.io/prefix-match-pseudo-header-method: PAT}",
            "match.test",
            "/p",
            "b"));
    s.append(
        ingress(
            "m-case",
            "2026-01-07T00:00:00Z",
            "{higress.io/ignore-path-case: \"true\"}",
            "match.test",
            "/CaseTest",
            "a"));
    s.append(ingress("m-case-sensitive", "2026-01-08T00:00:00Z", "{}", "match.test", "/Sens", "a"));
    s.append(
        ingress(
            "lb-lc",
            "2026-01-01T00:00:00Z",
            "{higress.io/load-balance: least_conn}",
            "lb.test",
            "/lc",
            "pool-lc"));
    s.append(
        ingress(
            "lb-random",
            "2026-01-01T00:00:00Z",
            "{higress.io/load-balance: random}",
            "lb.test",
            "/random",
            "pool-random"));
    s.append(
        ingress(
            "lb-hash",
            "2026-01-01T00:00:00Z",
            "{higress.io/upstream-hash-by: $http_x_user}",
            "lb.test",
            "/hash",
            "pool-hash"));
    s.append(
        ingress(
            "lb-cookie",
            "2026-01-01T00:00:00Z",
            "{higress.io/affinity: cookie, higress.io/session-cookie-max-age: \"300\"}",
            "lb.test",
            "/cookie",
            "pool-cookie"));
    s.append(ingress("lb-rr", "2026-01-01T00:00:00Z", "{}", "lb.test", "/rr", "pool-rr"));
    // Newer Ingresses on the same hashed services: the cluster stays the oldest one's, each route
    // hashes its own key.
    s.append(
        ingress(
            "lb-hash-arg",
            "2026-01-02T00:00:00Z",
            "{higress.io/upstream-hash-by: $arg_uid}",
            "lb.test",
            "/hash-arg",
            "pool-hash"));
    s.append(
        ingress(
            "lb-hash-uri",
            "2026-01-03T00:00:00Z",
            "{higress.io/upstream-hash-by: $request_uri}",
            "lb.test",
            "/hash-uri",
            "pool-hash"));
    s.append(
        ingress(
            "lb-hash-host",
            "2026-01-04T00:00:00Z",
            "{higress.io/upstream-hash-by: $host}",
            "lb.test",
            "/hash-host",
            "pool-hash"));
    s.append(
        ingress(
            "lb-hash-ip",
            "2026-01-05T00:00:00Z",
            "{nginx.ingress.kubernetes.io/upstream-hash-by:" + " $remote_addr}",
            "lb.test",
            "/hash-ip",
            "pool-hash"));
    s.append(
        ingress(
            "lb-cookie-default",
            "2026-01-02T00:00:00Z",
            "{higress.io/affinity: cookie}",
            "lb.test",
            "/cookie-default",
            "pool-cookie"));
    s.append(
        ingress(
            "lb-cookie-named",
            "2026-01-03T00:00:00Z",
            "{higress.io/affinity: cookie,"
                + " higress.io/session-cookie-name: sid, higress.io/session-cookie-path: /named,"
                + " higress.io/affinity-mode: balanced, higress.io/session-cookie-expires: \"120\"}",
            "lb.test",
            "/named",
            "pool-cookie"));
    return s.toString();
  }

  @BeforeAll
  static void start() throws Exception {
    a = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "a");
    b = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "b");
    c = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "c");
    gw = new GatewayHarness(routes());
    gw.startJvm();
    gw.startEnvoy();
    GatewayHarness.await(
        "every pool serves all three endpoints",
        Duration.ofSeconds(20),
        () -> {
          try {
            return send("GET", "match.test", "/m", "").status() == 200
                && backends("GET", "lb.test", "/rr", "", 12).size() == 3;
          } catch (IOException e) {
            return false;
          }
        });
  }

  @AfterAll
  static void stop() {
    if (gw != null) {
      gw.close();
    }
    for (EchoServer e : new EchoServer[] {a, b, c}) {
      if (e != null) {
        e.close();
      }
    }
  }

  @Test
  void matchMethodRoutesOnlyTheListedMethods() throws IOException {
    assertThat(send("GET", "match.test", "/m", "").backend()).isEqualTo("a");
    assertThat(send("DELETE", "match.test", "/m", "").status()).isEqualTo(404);
    // A pseudo-header match on :method, prefix PAT: PATCH routes, PUT does not.
    assertThat(send("PATCH", "match.test", "/p", "").backend()).isEqualTo("b");
    assertThat(send("PUT", "match.test", "/p", "").status()).isEqualTo(404);
  }

  @Test
  void headerAndQueryMatchesRouteOnePathToDifferentBackends() throws IOException {
    assertThat(send("GET", "match.test", "/h", "X-Env: canary\r\n").backend()).isEqualTo("b");
    assertThat(send("GET", "match.test", "/h", "X-Env: prod\r\n").backend()).isEqualTo("a");
    assertThat(send("GET", "match.test", "/h", "").backend()).isEqualTo("a");
    assertThat(send("GET", "match.test", "/q?v=3", "").backend()).isEqualTo("c");
    assertThat(send("GET", "match.test", "/q?v=23", "").backend())
        .as("regex matches the whole value")
        .isEqualTo("a");
    assertThat(send("GET", "match.test", "/q", "").backend()).isEqualTo("a");
  }

  @Test
  void ignorePathCaseMatchesAnyCase() throws IOException {
    assertThat(send("GET", "match.test", "/casetest", "").backend()).isEqualTo("a");
    assertThat(send("GET", "match.test", "/CASETEST/x", "").backend()).isEqualTo("a");
    assertThat(send("GET", "match.test", "/casetestx", "").status())
        .as("still segment-aware")
        .isEqualTo(404);
    assertThat(send("GET", "match.test", "/Sens", "").status()).isEqualTo(200);
    assertThat(send("GET", "match.test", "/sens", "").status())
        .as("without the annotation")
        .isEqualTo(404);
  }

  @Test
  void leastConnAndRandomAreAcceptedByEnvoyAndSpreadLoad() throws IOException {
    String clusters = gw.envoyAdmin("/config_dump?resource=dynamic_active_clusters");
    assertThat(clusterJson(clusters, "outbound|80||pool-lc.static"))
        .contains("\"lb_policy\": \"LEAST_REQUEST\"");
    assertThat(clusterJson(clusters, "outbound|80||pool-random.static"))
        .contains("\"lb_policy\": \"RANDOM\"");
    assertThat(clusterJson(clusters, "outbound|80||pool-hash.static"))
        .contains("\"lb_policy\": \"RING_HASH\"");
    assertThat(backends("GET", "lb.test", "/lc", "", 30)).hasSizeGreaterThan(1);
    assertThat(backends("GET", "lb.test", "/random", "", 60)).hasSizeGreaterThan(1);
  }

  @Test
  void hashByHeaderKeepsOneUserOnOneEndpoint() throws IOException {
    assertThat(backends("GET", "lb.test", "/hash", "X-User: alice\r\n", 50)).hasSize(1);
    assertThat(backends("GET", "lb.test", "/rr", "X-User: alice\r\n", 50))
        .as("control: no hash-by")
        .hasSize(3);
    Set<String> acrossUsers = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      acrossUsers.add(send("GET", "lb.test", "/hash", "X-User: user-" + i + "\r\n").backend());
    }
    assertThat(acrossUsers).as("different users spread").hasSizeGreaterThan(1);
  }

  @Test
  void cookieAffinitySetsTheCookieAndSticks() throws IOException {
    Response first = send("GET", "lb.test", "/cookie", "");
    System.out.println("[match-lb] cookie affinity: Set-Cookie: " + first.setCookie());
    assertThat(first.setCookie())
        .startsWith("INGRESSCOOKIE=")
        .contains("Max-Age=300")
        .contains("Path=/");
    String cookie = first.setCookie().substring(0, first.setCookie().indexOf(';'));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      Response r = send("GET", "lb.test", "/cookie", "Cookie: " + cookie + "\r\n");
      assertThat(r.setCookie()).as("a request with the cookie gets no new one").isEmpty();
      seen.add(r.backend());
    }
    assertThat(seen).containsExactly(first.backend());
  }

  @Test
  void everyHashByVariableSticksWhileTheKeyIsTheSame() throws IOException {
    assertThat(backends("GET", "lb.test", "/hash-arg?uid=alice", "", 30)).hasSize(1);
    assertThat(backends("GET", "lb.test", "/hash-uri/x", "", 30)).hasSize(1);
    assertThat(backends("GET", "lb.test", "/hash-host", "", 30)).hasSize(1);
    assertThat(backends("GET", "lb.test", "/hash-ip", "", 30)).hasSize(1);
    Set<String> acrossKeys = new HashSet<>();
    for (int i = 0; i < 30; i++) {
      acrossKeys.add(send("GET", "lb.test", "/hash-arg?uid=u" + i, "").backend());
      acrossKeys.add(send("GET", "lb.test", "/hash-uri/" + i, "").backend());
    }
    assertThat(acrossKeys).as("different keys spread").hasSizeGreaterThan(1);
  }

  @Test
  void cookieDefaultsAreASessionCookieNamedIngresscookieOnRoot() throws IOException {
    Response r = send("GET", "lb.test", "/cookie-default", "");
    assertThat(r.setCookie())
        .startsWith("INGRESSCOOKIE=")
        .contains("Path=/")
        .doesNotContain("Max-Age");
    Response named = send("GET", "lb.test", "/named", "");
    assertThat(named.setCookie())
        .startsWith("sid=")
        .contains("Path=/named")
        .contains("Max-Age=120");
    String cookie = named.setCookie().substring(0, named.setCookie().indexOf(';'));
    assertThat(backends("GET", "lb.test", "/named", "Cookie: " + cookie + "\r\n", 20))
        .containsExactly(named.backend());
  }

  /** Returns the JSON text of one cluster in a config dump. */
  private static String clusterJson(String dump, String name) {
    int at = dump.indexOf("\"name\": \"" + name + "\"");
    assertThat(at).as(name + " in the config dump").isPositive();
    int end = dump.indexOf("\"last_updated\"", at);
    return dump.substring(at, end < 0 ? dump.length() : end);
  }

  private static Set<String> backends(
      String method, String host, String path, String headers, int n) throws IOException {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      Response r = send(method, host, path, headers);
      if (r.status() != 200) {
        throw new IOException("status " + r.status());
      }
      seen.add(r.backend());
    }
    return seen;
  }

  /**
   * A response: status, the echo backend's name and the {@code Set-Cookie} header (empty when
   * none).
   */
  record Response(int status, String backend, String setCookie) {}

  /** Sends one request on a fresh connection ({@code Connection: close}) and reads the head. */
  private static Response send(String method, String host, String path, String headers)
      throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", gw.httpPort), 2000);
      s.setSoTimeout(5000);
      s.getOutputStream()
          .write(
              (method
                      + " "
                      + path
                      + " HTTP/1.1\r\nHost: "
                      + host
                      + "\r\n"
                      + headers
                      + "Connection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      s.getInputStream().transferTo(out);
      String text = out.toString(StandardCharsets.UTF_8);
      String head = text.substring(0, Math.max(0, text.indexOf("\r\n\r\n")));
      String[] lines = head.split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      String backend = "";
      String cookie = "";
      for (String l : lines) {
        String lower = l.toLowerCase(Locale.ROOT);
        if (lower.startsWith("x-echo-backend:")) {
          backend = l.substring(15).trim();
        } else if (lower.startsWith("set-cookie:")) {
          cookie = l.substring(11).trim();
        }
      }
      return new Response(status, backend, cookie);
    }
  }
}
