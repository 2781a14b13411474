package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.echo.EchoServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The canary annotations through the real JVM and Envoy: one main Ingress and canary Ingresses on
 * its paths, two echo backends ({@code main}, {@code canary}). Header canaries (always, value,
 * pattern), a cookie canary, weight canaries (30 %, 0 %, 100 %) and an orphan canary path, then the
 * canary Ingresses are removed and everything goes to main. One gateway for the class; tests run in
 * order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CanaryEndToEndIT {

  private static final int WEIGHT_REQUESTS = 400;

  private EchoServer main;
  private EchoServer canary;
  private GatewayHarness gw;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();

  private String mainIngress() {
    return """
        apiVersion: networking.higress.io/v1
        kind: McpBridge
        metadata: {name: default, namespace: higress-system}
        spec:
          registries:
            - {type: static, name: main, domain: "127.0.0.1:%d", port: 80}
            - {type: static, name: canary, domain: "127.0.0.1:%d", port: 80}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: main, creationTimestamp: "2026-01-01T00:00:00Z"}
        spec:
          rules:
            - http:
                paths:
                  - {path: /always, pathType: Prefix, backend: {service: {name: main.static, port: {number: 80}}}}
                  - {path: /value, pathType: Prefix, backend: {service: {name: main.static, port: {number: 80}}}}
                  - {path: /pattern, pathType: Prefix, backend: {service: {name: main.static, port: {number: 80}}}}
                  - {path: /cookie, pathType: Prefix, backend: {service: {name: main.static, port: {number: 80}}}}
                  - {path: /weight, pathType: Prefix, backend: {service: {name: main.static, port: {number: 80}}}}
                  - {path: /zero, pathType: Prefix, backend: {service: {name: main.static, port: {number: 80}}}}
                  - {path: /hundred, pathType: Prefix, backend: {service: {name: main.static, port: {number: 80}}}}
        """
        .formatted(main.port(), canary.port());
  }

  private static String canaryIngress(String name, String path, String annotations) {
    return """
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: %s
          annotations:
            nginx.ingress.kubernetes.io/canary: "true"
        %s
        spec:
          rules:
            - http:
                paths:
                  - {path: %s, pathType: Prefix, backend: {service: {name: canary.static, port: {number: 80}}}}
        """
        .formatted(name, annotations.indent(4).stripTrailing(), path);
  }

  private String withCanaries() {
    return mainIngress()
        + canaryIngress(
            "always", "/always", "nginx.ingress.kubernetes.io/canary-by-header: X-Canary")
        + canaryIngress(
            "value",
            "/value",
            """
            nginx.ingress.kubernetes.io/canary-by-header: x-version
            nginx.ingress.kubernetes.io/canary-by-header-value: v2""")
        + canaryIngress(
            "pattern",
            "/pattern",
            """
            nginx.ingress.kubernetes.io/canary-by-header: x-user
            nginx.ingress.kubernetes.io/canary-by-header-pattern: beta""")
        + canaryIngress("cookie", "/cookie", "nginx.ingress.kubernetes.io/canary-by-cookie: beta")
        + canaryIngress(
            "weight",
            "/weight",
            """
            nginx.ingress.kubernetes.io/canary-weight: "3"
            nginx.ingress.kubernetes.io/canary-weight-total: "10\"""")
        + canaryIngress("zero", "/zero", "nginx.ingress.kubernetes.io/canary-weight: \"0\"")
        + canaryIngress("hundred", "/hundred", "nginx.ingress.kubernetes.io/canary-weight: \"100\"")
        + canaryIngress(
            "orphan", "/orphan", "nginx.ingress.kubernetes.io/canary-by-header: x-canary");
  }

  @BeforeAll
  void start() throws Exception {
    main = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "main");
    canary = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "canary");
    gw = new GatewayHarness(withCanaries());
    gw.startJvm();
    gw.startEnvoy();
    GatewayHarness.await(
        "the canary routes answer",
        Duration.ofSeconds(10),
        () -> backend("/always", "x-canary", "always").equals("canary"));
  }

  @AfterAll
  void stop() {
    if (gw != null) {
      gw.close();
    }
    main.close();
    canary.close();
  }

  @Test
  @Order(1)
  void headerCanary_sendsOnlyRequestsWithTheHeaderAtAlways_toTheCanary() {
    assertThat(backend("/always", "X-Canary", "always")).isEqualTo("canary");
    assertThat(backend("/always/deeper", "x-canary", "always")).isEqualTo("canary");
    assertThat(backend("/always")).isEqualTo("main");
    assertThat(backend("/always", "x-canary", "yes")).isEqualTo("main");
    assertThat(backend("/always", "x-canary", "never")).isEqualTo("main");
  }

  @Test
  @Order(2)
  void headerValueCanary_matchesTheValueOrAlways_andNothingElse() {
    assertThat(backend("/value", "x-version", "v2")).isEqualTo("canary");
    assertThat(backend("/value", "x-version", "always")).isEqualTo("canary");
    assertThat(backend("/value", "x-version", "v3")).isEqualTo("main");
    assertThat(backend("/value", "x-version", "v2x"))
        .as("the regex matches the whole value")
        .isEqualTo("main");
    assertThat(backend("/value")).isEqualTo("main");
  }

  @Test
  @Order(3)
  void headerPatternCanary_matchesValuesContainingThePattern() {
    assertThat(backend("/pattern", "x-user", "beta")).isEqualTo("canary");
    assertThat(backend("/pattern", "x-user", "the-beta-tester")).isEqualTo("canary");
    assertThat(backend("/pattern", "x-user", "gamma")).isEqualTo("main");
    assertThat(backend("/pattern")).isEqualTo("main");
  }

  @Test
  @Order(4)
  void cookieCanary_matchesTheCookieAtAlways_amongOtherCookies() {
    assertThat(backend("/cookie", "cookie", "beta=always")).isEqualTo("canary");
    assertThat(backend("/cookie", "cookie", "a=1; beta=always; b=2")).isEqualTo("canary");
    assertThat(backend("/cookie", "cookie", "beta=never")).isEqualTo("main");
    assertThat(backend("/cookie", "cookie", "xbeta=always")).isEqualTo("main");
    assertThat(backend("/cookie")).isEqualTo("main");
  }

  @Test
  @Order(5)
  void weightCanary_sendsItsShareOfRequests_threeOutOfTen() {
    int canaryHits = count("/weight", WEIGHT_REQUESTS);
    // Expected 120 of 400 (sd ~9.2): 80..160 is over 4 sd either way, and far from 0 and 400.
    assertThat(canaryHits)
        .as("requests of %d that reached the canary", WEIGHT_REQUESTS)
        .isBetween(80, 160);
  }

  @Test
  @Order(6)
  void weightZeroSendsAllToMain_andWeightHundredAllToTheCanary() {
    assertThat(count("/zero", 50)).isZero();
    assertThat(count("/hundred", 50)).isEqualTo(50);
  }

  @Test
  @Order(7)
  void canaryPathWithoutMainRoute_isIgnored() throws Exception {
    assertThat(status("/orphan", "x-canary", "always")).isEqualTo(404);
    assertThat(gw.gangwayAdmin("/status")).contains("canary path ignored");
  }

  @Test
  @Order(8)
  void removingTheCanaryIngresses_sendsEverythingToMain_withRouteChangesOnly() throws Exception {
    long listenerModified = gw.envoyStat("listener_manager.listener_modified");
    gw.writeRoutes(mainIngress());
    GatewayHarness.await(
        "the header canary is gone",
        Duration.ofSeconds(10),
        () -> backend("/always", "x-canary", "always").equals("main"));
    assertThat(backend("/value", "x-version", "v2")).isEqualTo("main");
    assertThat(backend("/pattern", "x-user", "beta")).isEqualTo("main");
    assertThat(backend("/cookie", "cookie", "beta=always")).isEqualTo("main");
    assertThat(count("/weight", 100)).isZero();
    assertThat(count("/hundred", 50)).isZero();
    assertThat(gw.envoyStat("listener_manager.listener_modified"))
        .as("canaries live in RDS only")
        .isEqualTo(listenerModified);
  }

  /**
   * Returns how many of {@code n} requests to {@code path} reached the canary (all must answer
   * 200).
   */
  private int count(String path, int n) {
    int hits = 0;
    for (int i = 0; i < n; i++) {
      String b = backend(path);
      assertThat(b).isIn("main", "canary");
      hits += b.equals("canary") ? 1 : 0;
    }
    return hits;
  }

  private String backend(String path, String... header) {
    try {
      HttpResponse<String> r = send(path, header);
      return r.statusCode() == 200
          ? r.headers().firstValue("x-echo-backend").orElse("")
          : "status " + r.statusCode();
    } catch (Exception e) {
      return e.toString();
    }
  }

  private int status(String path, String... header) throws Exception {
    return send(path, header).statusCode();
  }

  private HttpResponse<String> send(String path, String... header) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.httpPort + path))
            .timeout(Duration.ofSeconds(3));
    for (int i = 0; i + 1 < header.length; i += 2) {
      b.header(header[i], header[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
