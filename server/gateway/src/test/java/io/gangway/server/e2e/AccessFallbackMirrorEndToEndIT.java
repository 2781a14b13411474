package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.gangway.echo.EchoServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * The access-control, fallback and mirror families through a real Envoy: IP allow and deny lists
 * (with one trusted hop, so the client address comes from {@code X-Forwarded-For}), a fail-closed
 * bad range, adding and removing a list on a live route under an open WebSocket, a default backend
 * taking over a backend without endpoints, and mirrored copies counted by a separate backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessFallbackMirrorEndToEndIT {

  private EchoServer a;
  private EchoServer b;
  private HttpServer mirror;
  private final List<String> mirrored = new CopyOnWriteArrayList<>();
  private GatewayHarness gw;

  /** A port no DNS server listens on: the {@code dead} service never gets an endpoint. */
  private final int noDns = GatewayHarness.freePort();

  /** A port nothing listens on: one of the two endpoints of {@code half} refuses connections. */
  private final int closedPort = GatewayHarness.freePort();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** One Ingress per path on the catch-all host, each with its own annotations. */
  private static String ingress(String name, String path, String backend, String annotations) {
    return """
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: %s
          annotations: {%s}
        spec:
          rules:
            - http:
                paths:
                  - {path: %s, pathType: Prefix, backend: {service: {name: %s, port: {number: 80}}}}
        """
        .formatted(name, annotations, path, backend);
  }

  private String routes(String allowTen, String openAcl) {
    return """
        apiVersion: networking.higress.io/v1
        kind: McpBridge
        metadata: {name: default, namespace: higress-system}
        spec:
          registries:
            - {type: static, name: a, domain: "127.0.0.1:%d", port: 80}
            - {type: static, name: b, domain: "127.0.0.1:%d", port: 80}
            - {type: static, name: shadow, domain: "127.0.0.1:%d", port: 80}
            - {type: dns, name: dead, domain: nothing.invalid, port: 80, dnsServer: "127.0.0.1:%d"}
            - {type: static, name: half, domain: "127.0.0.1:%d,127.0.0.1:%d", port: 80}
        """
            .formatted(
                a.port(), b.port(), mirror.getAddress().getPort(), noDns, a.port(), closedPort)
        + ingress(
            "allow-loopback",
            "/allow",
            "a.static",
            "higress.io/whitelist-source-range: \"127.0.0.1\"")
        + ingress(
            "allow-ten",
            "/ten",
            "a.static",
            "higress.io/whitelist-source-range: \"" + allowTen + "\"")
        + ingress(
            "deny-loopback",
            "/deny",
            "a.static",
            "nginx.ingress.kubernetes.io/denylist-source-range: \"127.0.0.0/8, ::1\"")
        + ingress("allow-any", "/any", "a.static", "higress.io/whitelist-source-range: \"*\"")
        + ingress("open", "/open", "a.static", openAcl)
        + ingress(
            "fallback-dead", "/fallback", "dead.dns", "higress.io/default-backend: ns/b.static")
        + ingress("fallback-alive", "/primary", "a.static", "higress.io/default-backend: b.static")
        + ingress(
            "errors",
            "/status",
            "a.static",
            "higress.io/default-backend: b.static, higress.io/custom-http-errors: \"503,502\"")
        + ingress(
            "guarded",
            "/guarded",
            "a.static",
            "higress.io/default-backend: b.static, "
                + "higress.io/custom-http-errors: \"503\", higress.io/whitelist-source-range: \"10.0.0.0/8\"")
        + ingress("half", "/half", "half.static", "higress.io/default-backend: b.static")
        + ingress("no-fallback", "/nofallback", "dead.dns", "")
        + ingress(
            "mirror-all", "/mirror", "a.static", "higress.io/mirror-target-service: shadow.static")
        + ingress(
            "mirror-none",
            "/nomirror",
            "a.static",
            "higress.io/mirror-target-fqdn: shadow.static, "
                + "higress.io/mirror-target-fqdn-port: \"80\", higress.io/mirror-percentage: \"0\"");
  }

  @BeforeAll
  void start() throws Exception {
    a = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "a");
    b = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "b");
    mirror = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    mirror.createContext(
        "/",
        ex -> {
          mirrored.add(
              ex.getRequestURI().getPath() + " " + ex.getRequestHeaders().getFirst("Host"));
          ex.sendResponseHeaders(204, -1);
          ex.close();
        });
    mirror.start();
    gw = new GatewayHarness(routes("10.0.0.0/8", ""));
    gw.addGatewayConfig("  xffNumTrustedHops: 1\n");
    gw.startJvm();
    gw.startEnvoy();
    GatewayHarness.await(
        "the routes answer", Duration.ofSeconds(10), () -> status("/open", null) == 200);
  }

  @AfterAll
  void stop() {
    if (gw != null) {
      gw.close();
    }
    a.close();
    b.close();
    mirror.stop(0);
  }

  @Test
  @Order(1)
  void ipLists_letAllowedClientsThrough_andAnswer403ToOthers() {
    assertThat(status("/allow", null)).as("127.0.0.1 is on the allow list").isEqualTo(200);
    assertThat(get("/allow", null).headers().firstValue("x-echo-backend")).hasValue("a");
    HttpResponse<String> refused = get("/ten", null);
    assertThat(refused.statusCode()).as("127.0.0.1 is outside 10.0.0.0/8").isEqualTo(403);
    assertThat(refused.body()).isEqualTo("RBAC: access denied");
    assertThat(refused.headers().firstValue("x-echo-backend")).as("refused at the edge").isEmpty();
    assertThat(status("/deny", null)).as("127.0.0.1 is on the deny list").isEqualTo(403);
    assertThat(status("/any", null)).as("'*' allows every address").isEqualTo(200);
    assertThat(status("/open", null)).as("a route without a list is not filtered").isEqualTo(200);
  }

  @Test
  @Order(2)
  void ipLists_judgeTheClientAddressOfTheTrustedHop_notThePeer() {
    // One trusted hop: the client is the right-most X-Forwarded-For entry, not the loopback peer.
    assertThat(status("/ten", "10.1.2.3"))
        .as("client 10.1.2.3 is inside 10.0.0.0/8")
        .isEqualTo(200);
    assertThat(status("/allow", "10.1.2.3")).as("client 10.1.2.3 is not 127.0.0.1").isEqualTo(403);
    assertThat(status("/deny", "10.1.2.3")).as("client 10.1.2.3 is not denied").isEqualTo(200);
    assertThat(status("/deny", "192.0.2.1, 127.0.0.1"))
        .as("the right-most entry is the client")
        .isEqualTo(403);
    assertThat(status("/deny", "::1")).as("an IPv6 client on the deny list").isEqualTo(403);
    assertThat(status("/deny", "2001:db8::1"))
        .as("an IPv6 client off the deny list")
        .isEqualTo(200);
    assertThat(status("/ten", "2001:db8::1"))
        .as("an IPv6 client is outside 10.0.0.0/8")
        .isEqualTo(403);
  }

  @Test
  @Order(3)
  void invalidRange_rejectsTheDocument_andTheLastGoodListStaysLive() throws Exception {
    gw.writeRoutes(routes("10.0.0.0/33", ""));
    GatewayHarness.await(
        "status reports the rejected document",
        Duration.ofSeconds(5),
        () -> gw.gangwayAdmin("/status").contains("whitelist-source-range"));
    assertThat(gw.gangwayAdmin("/status"))
        .contains("\"state\" : \"rejected\"")
        .contains("fails closed");
    assertThat(status("/ten", null))
        .as("the last good list still refuses 127.0.0.1")
        .isEqualTo(403);
    assertThat(status("/ten", "10.1.2.3")).isEqualTo(200);

    gw.writeRoutes(routes("127.0.0.1, 10.0.0.0/8", ""));
    GatewayHarness.await(
        "a fixed list applies", Duration.ofSeconds(5), () -> status("/ten", null) == 200);
    gw.writeRoutes(routes("10.0.0.0/8", ""));
    GatewayHarness.await(
        "the original list is back", Duration.ofSeconds(5), () -> status("/ten", null) == 403);
  }

  @Test
  @Order(4)
  void addingAndRemovingAList_onALiveRoute_changesNoListener_andKeepsAnOpenWebSocket()
      throws Exception {
    long listenerModified = gw.envoyStat("listener_manager.listener_modified");
    assertThat(listenerModified).isGreaterThanOrEqualTo(0);
    LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    WebSocket ws =
        http.newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://127.0.0.1:" + gw.httpPort + "/open/ws"),
                WebSocketEcho.collector(messages))
            .get(5, TimeUnit.SECONDS);
    ws.sendText("before", true).get(5, TimeUnit.SECONDS);
    assertThat(messages.poll(5, TimeUnit.SECONDS)).isEqualTo("a:before");

    gw.writeRoutes(routes("10.0.0.0/8", "higress.io/whitelist-source-range: \"10.0.0.0/8\""));
    GatewayHarness.await(
        "the added list refuses 127.0.0.1",
        Duration.ofSeconds(5),
        () -> status("/open", null) == 403);
    ws.sendText("during", true).get(5, TimeUnit.SECONDS);
    assertThat(messages.poll(5, TimeUnit.SECONDS))
        .as("websocket survives adding the list")
        .isEqualTo("a:during");

    gw.writeRoutes(routes("10.0.0.0/8", ""));
    GatewayHarness.await(
        "the removed list lets 127.0.0.1 in",
        Duration.ofSeconds(5),
        () -> status("/open", null) == 200);
    ws.sendText("after", true).get(5, TimeUnit.SECONDS);
    assertThat(messages.poll(5, TimeUnit.SECONDS))
        .as("websocket survives removing the list")
        .isEqualTo("a:after");
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);

    assertThat(gw.envoyStat("listener_manager.listener_modified"))
        .as("listener untouched by the policy edits")
        .isEqualTo(listenerModified);
    assertThat(gw.envoyStat("listener_manager.total_listeners_draining")).isZero();
  }

  @Test
  @Order(5)
  void defaultBackend_servesWhenThePrimaryHasNoEndpoint_andOnlyThen() {
    assertThat(status("/nofallback", null))
        .as("without a fallback, no endpoint is a 503")
        .isEqualTo(503);
    assertThat(backendOf("/fallback"))
        .as("primary without endpoints -> default backend")
        .isEqualTo("b");
    assertThat(backendOf("/primary")).as("a healthy primary keeps the traffic").isEqualTo("a");
  }

  @Test
  @Order(6)
  void defaultBackend_takesNothing_whileOneEndpointOfThePrimaryIsHealthy() throws Exception {
    String ejected = "cluster.outbound|80||half.static.outlier_detection.ejections_active";
    GatewayHarness.await(
        "the refusing endpoint is ejected",
        Duration.ofSeconds(10),
        () -> {
          backendOf("/half");
          return gw.envoyStat(ejected) == 1;
        });
    // Half the primary healthy: Envoy's default overprovisioning (1.4) would send ~30 % to the
    // fallback.
    for (int i = 0; i < 40; i++) {
      assertThat(backendOf("/half")).as("request %d", i).isEqualTo("a");
    }
  }

  @Test
  @Order(7)
  void customHttpErrors_haveTheDefaultBackendAnswerThoseCodes_andOnlyThose() {
    HttpResponse<String> replaced = get("/status/503", null);
    assertThat(replaced.headers().firstValue("x-echo-backend"))
        .as("503 from a is answered by b")
        .hasValue("b");
    assertThat(replaced.statusCode()).isEqualTo(200);
    assertThat(replaced.body())
        .as("the fallback is asked for /, as in Higress")
        .contains("\"path\":\"/\"");
    HttpResponse<String> kept = get("/status/404", null);
    assertThat(kept.statusCode()).as("404 is not listed").isEqualTo(404);
    assertThat(kept.headers().firstValue("x-echo-backend")).hasValue("a");
    assertThat(backendOf("/status")).isEqualTo("a");
  }

  @Test
  @Order(8)
  void customHttpErrors_fallbackRoute_keepsTheRoutesIpList() {
    String header = "default/guarded/*/prefix:/guarded";
    assertThat(get("/", null, header).statusCode())
        .as("127.0.0.1 may not use the guarded route's fallback either")
        .isEqualTo(403);
    HttpResponse<String> allowed = get("/", "10.1.2.3", header);
    assertThat(allowed.headers().firstValue("x-echo-backend"))
        .as("an allowed client reaches it")
        .hasValue("b");
    assertThat(allowed.body())
        .as("the marker header is not forwarded")
        .doesNotContain("x-gangway-fallback");
  }

  @Test
  @Order(9)
  void mirror_copiesEachRequestToTheTarget_andPercentageZeroCopiesNone() throws Exception {
    mirrored.clear();
    for (int i = 0; i < 5; i++) {
      assertThat(backendOf("/mirror/" + i)).as("the response is the primary's").isEqualTo("a");
    }
    GatewayHarness.await(
        "the mirror saw 5 copies", Duration.ofSeconds(5), () -> mirrored.size() >= 5);
    assertThat(mirrored).allSatisfy(m -> assertThat(m).startsWith("/mirror/").contains("-shadow"));
    for (int i = 0; i < 20; i++) {
      assertThat(backendOf("/nomirror/" + i)).isEqualTo("a");
    }
    Thread.sleep(300);
    assertThat(mirrored).as("mirror-percentage 0 copies nothing").hasSize(5);
  }

  private String backendOf(String path) {
    HttpResponse<String> r = get(path, null);
    return r.statusCode() == 200
        ? r.headers().firstValue("x-echo-backend").orElse("")
        : "status " + r.statusCode();
  }

  private int status(String path, String forwardedFor) {
    try {
      return get(path, forwardedFor).statusCode();
    } catch (RuntimeException e) {
      return -1;
    }
  }

  private HttpResponse<String> get(String path, String forwardedFor) {
    return get(path, forwardedFor, null);
  }

  private HttpResponse<String> get(String path, String forwardedFor, String fallbackHeader) {
    HttpRequest.Builder req =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.httpPort + path))
            .timeout(Duration.ofSeconds(3));
    if (forwardedFor != null) {
      req.header("X-Forwarded-For", forwardedFor);
    }
    if (fallbackHeader != null) {
      req.header("x-gangway-fallback", fallbackHeader);
    }
    try {
      return http.send(req.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
