package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.echo.EchoServer;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The spine end to end with real parts: the Gangway JVM process, a real Envoy, two echo backends on
 * loopback. Routing by host and path, then hot route edits under live traffic, then a bad edit,
 * then a control-plane crash. The tests share one gateway and run in order, as an operator's day
 * would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayEndToEndIT {

  private static final String NEW_PATH =
      "    - http:\n        paths:\n"
          + "          - {path: /new, pathType: Prefix, backend: {service: {name: b.static, port: {number: 80}}}}";

  private EchoServer a;
  private EchoServer b;
  private Server grpc;
  private GatewayHarness gw;

  private String routes(String aHostTarget, String extraPath) {
    return """
        apiVersion: networking.higress.io/v1
        kind: McpBridge
        metadata: {name: default, namespace: higress-system}
        spec:
          registries:
            - {type: static, name: a, domain: "127.0.0.1:%d", port: 80}
            - {type: static, name: b, domain: "127.0.0.1:%d", port: 80}
            - {type: static, name: grpc, domain: "127.0.0.1:%d", port: 80}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: grpc
          annotations: {higress.io/backend-protocol: GRPC}
        spec:
          rules:
            - host: grpc.test
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: grpc.static, port: {number: 80}}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, namespace: default}
        spec:
          rules:
            - host: a.test
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: %s, port: {number: 80}}}}
            - host: b.test
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: b.static, port: {number: 80}}}}
            - host: "*.wild.test"
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: b.static, port: {number: 80}}}}
            - http:
                paths:
                  - {path: /foo, pathType: Prefix, backend: {service: {name: a.static, port: {number: 80}}}}
                  - {path: /exact, pathType: Exact, backend: {service: {name: b.static, port: {number: 80}}}}
        %s
        """
        .formatted(a.port(), b.port(), grpc.getPort(), aHostTarget, extraPath);
  }

  @BeforeAll
  void start() throws Exception {
    a = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "a");
    b = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "b");
    grpc = GrpcEcho.start();
    gw = new GatewayHarness(routes("a.static", ""));
    gw.startJvm();
    gw.startEnvoy();
    GatewayHarness.await(
        "the first route answers",
        Duration.ofSeconds(10),
        () -> backend("a.test", "/").equals("a"));
  }

  @AfterAll
  void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
    a.close();
    b.close();
    grpc.shutdownNow();
  }

  @Test
  @Order(1)
  void routing_byHostAndPath_reachesTheDeclaredBackend() throws Exception {
    assertThat(backend("a.test", "/anything")).isEqualTo("a");
    assertThat(backend("b.test", "/")).isEqualTo("b");
    assertThat(backend("A.TEST:8080", "/")).as("host match ignores case and port").isEqualTo("a");
    assertThat(backend("x.wild.test", "/")).as("wildcard host").isEqualTo("b");
    assertThat(RawHttp.get(gw.httpPort, "wild.test", "/").status())
        .as("*.wild.test does not match wild.test")
        .isEqualTo(404);
    assertThat(backend("other.test", "/foo")).isEqualTo("a");
    assertThat(backend("other.test", "/foo/bar")).isEqualTo("a");
    assertThat(RawHttp.get(gw.httpPort, "other.test", "/foobar").status())
        .as("prefix is segment-aware")
        .isEqualTo(404);
    assertThat(backend("other.test", "/exact")).isEqualTo("b");
    assertThat(RawHttp.get(gw.httpPort, "other.test", "/exact/x").status()).isEqualTo(404);
    assertThat(RawHttp.get(gw.httpPort, "other.test", "/foo/../exact").status())
        .as("paths are normalised before matching")
        .isEqualTo(200);
  }

  @Test
  @Order(2)
  void routeEdit_isLiveWithinOneSecond_withoutDisturbingEnvoyOrOpenConnections() throws Exception {
    long envoyPid = gw.envoyPid();
    long listenerModified = gw.envoyStat("listener_manager.listener_modified");
    AtomicInteger ok = new AtomicInteger();
    AtomicReference<String> failure = new AtomicReference<>();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread loop = new Thread(() -> requestLoop(running, ok, failure));
    try (RawHttp keepAlive = new RawHttp(gw.httpPort)) {
      assertThat(keepAlive.send("a.test", "/before").backend()).isEqualTo("a");
      LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
      WebSocket ws =
          HttpClient.newHttpClient()
              .newWebSocketBuilder()
              .buildAsync(
                  URI.create("ws://127.0.0.1:" + gw.httpPort + "/foo/ws"),
                  WebSocketEcho.collector(messages))
              .get(5, TimeUnit.SECONDS);
      ws.sendText("before", true).get(5, TimeUnit.SECONDS);
      assertThat(messages.poll(5, TimeUnit.SECONDS)).isEqualTo("a:before");
      loop.start();
      GatewayHarness.await(
          "the request loop is running", Duration.ofSeconds(5), () -> ok.get() > 20);

      long t0 = System.nanoTime();
      gw.writeRoutes(routes("b.static", NEW_PATH));
      GatewayHarness.await(
          "the edit is live", Duration.ofSeconds(5), () -> backend("a.test", "/").equals("b"));
      long millis = (System.nanoTime() - t0) / 1_000_000;
      System.out.println(
          "route edit propagation (file write -> Envoy serving the new route): " + millis + " ms");
      assertThat(millis)
          .as("route edit propagation (file write → Envoy serving), ms")
          .isLessThan(1000);
      assertThat(backend("c.test", "/new")).isEqualTo("b");

      assertThat(gw.envoyPid()).isEqualTo(envoyPid);
      assertThat(gw.envoyAlive()).isTrue();
      assertThat(keepAlive.send("a.test", "/after").backend())
          .as("keep-alive connection survives the edit")
          .isEqualTo("b");
      ws.sendText("after", true).get(5, TimeUnit.SECONDS);
      assertThat(messages.poll(5, TimeUnit.SECONDS))
          .as("websocket survives the edit")
          .isEqualTo("a:after");
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);
      Thread.sleep(300);
    } finally {
      running.set(false);
      loop.join(5000);
    }
    assertThat(failure.get()).as("requests during the edit").isNull();
    assertThat(ok.get()).isGreaterThan(40);
    assertThat(gw.envoyStat("listener_manager.listener_modified"))
        .as("listener untouched by a route edit")
        .isEqualTo(listenerModified);
    assertThat(gw.envoyStat("listener_manager.total_listeners_draining")).isZero();
  }

  @Test
  @Order(3)
  void brokenEdit_keepsLastGoodConfig_andNamesFileAndLine() throws Exception {
    gw.writeRoutes(
        routes("b.static", NEW_PATH)
            + "\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: bad\n");
    GatewayHarness.await(
        "status reports the syntax error",
        Duration.ofSeconds(5),
        () -> gw.gangwayAdmin("/status").contains("routes.yaml:"));
    String status = gw.gangwayAdmin("/status");
    assertThat(status).contains("YAML syntax error").contains("\"state\" : \"rejected\"");
    assertThat(backend("a.test", "/")).as("last good config stays live").isEqualTo("b");
    assertThat(backend("c.test", "/new")).isEqualTo("b");

    gw.writeRoutes(routes("a.static", ""));
    GatewayHarness.await(
        "a fixed file applies again",
        Duration.ofSeconds(5),
        () -> backend("a.test", "/").equals("a"));
    assertThat(RawHttp.get(gw.httpPort, "c.test", "/new").status()).isEqualTo(404);
  }

  @Test
  @Order(4)
  void jvmKilled_envoyKeepsServing_andTheRestartedJvmPushesNothingOlderOrEmpty() throws Exception {
    long envoyPid = gw.envoyPid();
    String routeReloads =
        "http.http." + gw.httpPort + ".rds.http." + gw.httpPort + ".config_reload";
    long[] before = {
      gw.envoyStat("cluster_manager.cluster_modified"),
      gw.envoyStat("listener_manager.listener_modified"),
      gw.envoyStat(routeReloads)
    };
    assertThat(before[2]).as(routeReloads).isPositive();
    AtomicInteger ok = new AtomicInteger();
    AtomicReference<String> failure = new AtomicReference<>();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread loop = new Thread(() -> requestLoop(running, ok, failure));
    loop.start();
    try {
      GatewayHarness.await(
          "the request loop is running", Duration.ofSeconds(5), () -> ok.get() > 20);
      gw.killJvm();
      int down = ok.get();
      GatewayHarness.await(
          "traffic flows with the control plane down",
          Duration.ofSeconds(5),
          () -> ok.get() > down + 50);
      gw.startJvm();
      GatewayHarness.await(
          "Envoy reconnects to the restarted control plane",
          Duration.ofSeconds(30),
          () ->
              gw.envoyStat("control_plane.connected_state") == 1
                  && gw.gangwayAdmin("/status").contains("\"streams\" : 1"));
      int reconnected = ok.get();
      GatewayHarness.await(
          "traffic keeps flowing after the reconnect",
          Duration.ofSeconds(5),
          () -> ok.get() > reconnected + 50);
    } finally {
      running.set(false);
      loop.join(5000);
    }
    assertThat(failure.get()).as("requests while the JVM died and came back").isNull();
    assertThat(gw.envoyPid()).isEqualTo(envoyPid);
    assertThat(backend("a.test", "/")).isEqualTo("a");
    assertThat(backend("b.test", "/")).isEqualTo("b");
    long[] after = {
      gw.envoyStat("cluster_manager.cluster_modified"),
      gw.envoyStat("listener_manager.listener_modified"),
      gw.envoyStat(routeReloads)
    };
    assertThat(after)
        .as("clusters modified, listeners modified, route table reloads across the JVM restart")
        .containsExactly(before);
  }

  @Test
  @Order(5)
  void grpc_throughEnvoy_isProxiedOverHttp2BothWays() throws Exception {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", gw.httpPort)
            .overrideAuthority("grpc.test")
            .usePlaintext()
            .build();
    try {
      assertThat(GrpcEcho.call(channel, "hello")).isEqualTo("grpc-echo:hello");
    } finally {
      channel.shutdownNow();
    }
  }

  /**
   * Alternates two hosts on one keep-alive connection (reopened on close) and records the first
   * failure.
   */
  private void requestLoop(
      AtomicBoolean running, AtomicInteger ok, AtomicReference<String> failure) {
    RawHttp conn = null;
    int i = 0;
    while (running.get()) {
      String host = (i++ % 2 == 0) ? "a.test" : "other.test";
      String path = host.equals("a.test") ? "/loop" : "/foo/loop";
      try {
        if (conn == null) {
          conn = new RawHttp(gw.httpPort);
        }
        RawHttp.Response r = conn.send(host, path);
        if (r.status() != 200) {
          failure.compareAndSet(null, host + path + " -> " + r.status() + " " + r.body());
        } else {
          ok.incrementAndGet();
        }
      } catch (Exception e) {
        failure.compareAndSet(null, host + path + " -> " + e);
        conn = null;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private String backend(String host, String path) {
    try {
      RawHttp.Response r = RawHttp.get(gw.httpPort, host, path);
      return r.status() == 200 ? r.backend() : "status " + r.status();
    } catch (Exception e) {
      return e.toString();
    }
  }
}
