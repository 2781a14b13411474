package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.echo.EchoServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * The timeout, retry and local rate-limit annotations on real traffic through a real Envoy: a slow
 * backend past {@code higress.io/timeout} is answered 504; {@code proxy-next-upstream: http_503}
 * retries a 503 as often as {@code -tries} says (counted by Envoy's {@code upstream_rq_retry} of
 * the route's cluster), {@code off} and an unannotated route do not; a burst above rps × multiplier
 * gets 429s, each limited route has its own bucket, an unlimited route none; and adding then
 * removing a rate limit on a live route touches no listener and leaves an open WebSocket working.
 * One gateway for the class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TimeoutRetryRateLimitEndToEndIT {

  private EchoServer echo;
  private GatewayHarness gw;

  private String routes(String liveAnnotations) {
    return """
        apiVersion: networking.higress.io/v1
        kind: McpBridge
        metadata: {name: default, namespace: higress-system}
        spec:
          registries:
            - {type: static, name: plain, domain: "127.0.0.1:%1$d", port: 80}
            - {type: static, name: retry, domain: "127.0.0.1:%1$d", port: 80}
            - {type: static, name: off, domain: "127.0.0.1:%1$d", port: 80}
            - {type: static, name: pertry, domain: "127.0.0.1:%1$d", port: 80}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: plain}
        spec:
          rules:
            - host: plain.test
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: plain.static, port: {number: 80}}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: timeout
          annotations: {higress.io/timeout: "1"}
        spec:
          rules:
            - host: timeout.test
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: plain.static, port: {number: 80}}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: retry
          annotations:
            nginx.ingress.kubernetes.io/proxy-next-upstream: "http_503"
            nginx.ingress.kubernetes.io/proxy-next-upstream-tries: "2"
        spec:
          rules:
            - host: retry.test
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: retry.static, port: {number: 80}}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: off
          annotations: {higress.io/proxy-next-upstream: "off"}
        spec:
          rules:
            - host: off.test
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: off.static, port: {number: 80}}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: pertry
          annotations:
            higress.io/proxy-next-upstream: "error timeout"
            higress.io/proxy-next-upstream-tries: "1"
            higress.io/proxy-next-upstream-timeout: "1"
        spec:
          rules:
            - host: pertry.test
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: pertry.static, port: {number: 80}}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: limited
          annotations:
            higress.io/route-limit-rps: "2"
            higress.io/route-limit-burst-multiplier: "2"
        spec:
          rules:
            - host: limited.test
              http:
                paths:
                  - {path: /a, pathType: Prefix, backend: {service: {name: plain.static, port: {number: 80}}}}
                  - {path: /b, pathType: Prefix, backend: {service: {name: plain.static, port: {number: 80}}}}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: live
          annotations: {%2$s}
        spec:
          rules:
            - http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: plain.static, port: {number: 80}}}}
        """
        .formatted(echo.port(), liveAnnotations);
  }

  @BeforeAll
  void start() throws Exception {
    echo = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "a");
    gw = new GatewayHarness(routes(""));
    gw.startJvm();
    gw.startEnvoy();
    GatewayHarness.await(
        "the routes answer",
        Duration.ofSeconds(15),
        () -> status("plain.test", "/") == 200 && status("pertry.test", "/") == 200);
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
  void timeout_answers504PastIt_andARouteWithoutItWaits() throws Exception {
    long t0 = System.nanoTime();
    assertThat(status("timeout.test", "/delay/2500"))
        .as("2.5 s backend behind a 1 s timeout")
        .isEqualTo(504);
    long millis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(millis).as("answered at the timeout, not after the backend").isBetween(900L, 2000L);
    assertThat(status("timeout.test", "/delay/200")).as("faster than the timeout").isEqualTo(200);
    assertThat(status("plain.test", "/delay/1500"))
        .as("no annotation: no route timeout")
        .isEqualTo(200);
  }

  @Test
  @Order(2)
  void retry_onHttp503_retriesTriesTimes_offAndUnannotatedDoNot() throws Exception {
    long[] before = {retries("retry"), retries("off"), retries("plain")};
    assertThat(before)
        .as("upstream_rq_retry of the retry, off and plain clusters")
        .doesNotContain(-1L);
    assertThat(status("retry.test", "/status/503")).isEqualTo(503);
    assertThat(status("off.test", "/status/503")).isEqualTo(503);
    assertThat(status("plain.test", "/status/503")).isEqualTo(503);
    GatewayHarness.await(
        "the retries are counted", Duration.ofSeconds(5), () -> retries("retry") == before[0] + 2);
    assertThat(retries("retry"))
        .as("proxy-next-upstream-tries: 2 → two retries of the 503")
        .isEqualTo(before[0] + 2);
    assertThat(retries("off")).as("proxy-next-upstream: off").isEqualTo(before[1]);
    assertThat(retries("plain"))
        .as("the default safe retries never retry an application 503")
        .isEqualTo(before[2]);
    assertThat(status("retry.test", "/status/500"))
        .as("http_503 only: a 500 is not retried")
        .isEqualTo(500);
    Thread.sleep(200);
    assertThat(retries("retry")).isEqualTo(before[0] + 2);
  }

  @Test
  @Order(3)
  void perTryTimeout_cutsEachTry_andRetriesIt() throws Exception {
    long retriesBefore = retries("pertry");
    long t0 = System.nanoTime();
    assertThat(status("pertry.test", "/delay/1800")).as("each 1 s try times out").isEqualTo(504);
    long millis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(millis).as("two tries of 1 s").isBetween(1900L, 3500L);
    GatewayHarness.await(
        "the retry is counted",
        Duration.ofSeconds(5),
        () -> retries("pertry") == retriesBefore + 1);
    assertThat(clusterStat("pertry", "upstream_rq_per_try_timeout")).isEqualTo(2);
  }

  @Test
  @Order(4)
  void rateLimit_burstAboveTheBucket_gets429_perRoute_andUnlimitedRoutesNone() throws Exception {
    Thread.sleep(1100); // a full bucket
    List<Integer> a = burst("limited.test", "/a", 10);
    List<Integer> b = burst("limited.test", "/b", 10);
    List<Integer> plain = burst("plain.test", "/", 30);
    System.out.println("[rate-limit] rps 2 x 2: /a " + a + ", /b " + b);
    // 2 rps × multiplier 2 = a bucket of 4; a refill tick (2 tokens) may fall inside the burst.
    assertThat(a.stream().filter(s -> s == 200).count()).as("/a: " + a).isBetween(4L, 6L);
    assertThat(a).as("/a past the bucket").contains(429).containsOnly(200, 429);
    assertThat(b.stream().filter(s -> s == 200).count())
        .as("/b has its own bucket: " + b)
        .isBetween(4L, 6L);
    assertThat(plain).as("a route without the annotation is not limited").containsOnly(200);
  }

  @Test
  @Order(5)
  void addingAndRemovingARateLimit_onALiveRoute_touchesNoListener_andKeepsAWebSocket()
      throws Exception {
    long listenerModified = gw.envoyStat("listener_manager.listener_modified");
    assertThat(listenerModified).isNotNegative();
    LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    WebSocket ws =
        HttpClient.newHttpClient()
            .newWebSocketBuilder()
            .buildAsync(
                URI.create("ws://127.0.0.1:" + gw.httpPort + "/ws"),
                WebSocketEcho.collector(messages))
            .get(5, TimeUnit.SECONDS);
    ws.sendText("before", true).get(5, TimeUnit.SECONDS);
    assertThat(messages.poll(5, TimeUnit.SECONDS)).isEqualTo("a:before");
    assertThat(burst("127.0.0.1", "/live", 10)).as("no limit yet").containsOnly(200);

    gw.writeRoutes(
        routes(
            "higress.io/route-limit-rps: \"1\", higress.io/route-limit-burst-multiplier: \"1\""));
    GatewayHarness.await(
        "the limit is live",
        Duration.ofSeconds(5),
        () -> burst("127.0.0.1", "/live", 5).contains(429));
    ws.sendText("limited", true).get(5, TimeUnit.SECONDS);
    assertThat(messages.poll(5, TimeUnit.SECONDS))
        .as("websocket survives adding the limit")
        .isEqualTo("a:limited");

    gw.writeRoutes(routes(""));
    GatewayHarness.await(
        "the limit is gone",
        Duration.ofSeconds(5),
        () -> burst("127.0.0.1", "/live", 10).stream().allMatch(s -> s == 200));
    ws.sendText("after", true).get(5, TimeUnit.SECONDS);
    assertThat(messages.poll(5, TimeUnit.SECONDS))
        .as("websocket survives removing the limit")
        .isEqualTo("a:after");
    ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(5, TimeUnit.SECONDS);

    assertThat(gw.envoyStat("listener_manager.listener_modified"))
        .as("listener untouched by the policy edits")
        .isEqualTo(listenerModified);
    assertThat(gw.envoyStat("listener_manager.total_listeners_draining")).isZero();
  }

  /** Sends {@code n} requests back to back on one keep-alive connection; returns their statuses. */
  private List<Integer> burst(String host, String path, int n) {
    List<Integer> out = new ArrayList<>();
    try (RawHttp c = new RawHttp(gw.httpPort)) {
      for (int i = 0; i < n; i++) {
        out.add(c.send(host, path).status());
      }
    } catch (Exception e) {
      out.add(-1);
    }
    return out;
  }

  private int status(String host, String path) {
    try {
      return RawHttp.get(gw.httpPort, host, path).status();
    } catch (Exception e) {
      return -1;
    }
  }

  private long retries(String registry) {
    return clusterStat(registry, "upstream_rq_retry");
  }

  /** Returns a counter of the cluster of static registry {@code registry}, or -1 when absent. */
  private long clusterStat(String registry, String counter) {
    String name = "cluster.outbound|80||" + registry + ".static." + counter;
    for (String line : gw.envoyAdmin("/stats?filter=" + counter).split("\n")) {
      int colon = line.lastIndexOf(": ");
      if (colon > 0 && line.substring(0, colon).equals(name)) {
        return Long.parseLong(line.substring(colon + 2).trim());
      }
    }
    return -1;
  }
}
