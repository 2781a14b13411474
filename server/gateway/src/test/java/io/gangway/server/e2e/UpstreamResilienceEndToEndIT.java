package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.echo.EchoServer;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Upstream failures and the edge headers through a real Envoy: one dead endpoint of two must not
 * fail requests (safe retries on another endpoint, then outlier ejection), and the same experiment
 * with {@code upstream.retries: 0} and outlier detection off shows what the defaults prevent. Also:
 * HTTP/1.0 is served, and client-sent {@code X-Real-IP} / {@code X-Forwarded-For} never reach the
 * backend.
 */
class UpstreamResilienceEndToEndIT {

  private static String routes(int a, int b) {
    return RouteYaml.forHost(
        RouteYaml.staticRegistry("pool", "127.0.0.1:" + a + ",127.0.0.1:" + b),
        "{name: pool, namespace: default}",
        "pool.test",
        "pool.static");
  }

  /**
   * Kills one of two endpoints under a request loop; returns the loop (stopped) after {@code
   * seconds}.
   */
  private static RequestLoop killOneEndpointUnderLoad(String upstreamConfig, int seconds)
      throws Exception {
    EchoServer a = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "a");
    EchoServer b = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "b");
    try (GatewayHarness gw = new GatewayHarness(routes(a.port(), b.port()))) {
      if (!upstreamConfig.isEmpty()) {
        java.nio.file.Path conf = gw.home.resolve("conf/gangway.yaml");
        java.nio.file.Files.writeString(
            conf, java.nio.file.Files.readString(conf) + upstreamConfig);
      }
      gw.startJvm();
      gw.startEnvoy();
      GatewayHarness.await(
          "both endpoints answer",
          Duration.ofSeconds(15),
          () -> {
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < 10; i++) {
              try {
                seen.add(RawHttp.get(gw.httpPort, "pool.test", "/").backend());
              } catch (java.io.IOException e) {
                return false;
              }
            }
            return seen.contains("a") && seen.contains("b");
          });
      RequestLoop loop = new RequestLoop(gw.httpPort, "pool.test");
      Thread.sleep(500);
      b.close(); // the process behind one endpoint dies; its registration stays (static)
      Thread.sleep(seconds * 1000L);
      loop.close();
      System.out.println(
          "[upstream-resilience] "
              + (upstreamConfig.isEmpty() ? "defaults" : "retries and ejection off")
              + ": one of two endpoints killed, "
              + seconds
              + " s: "
              + loop.summary());
      return loop;
    } finally {
      a.close();
      b.close();
    }
  }

  @Test
  void deadEndpoint_withTheDefaults_failsNoRequest() throws Exception {
    RequestLoop loop = killOneEndpointUnderLoad("", 5);
    assertThat(loop.total()).isGreaterThan(100);
    assertThat(loop.failed.get()).as(loop.summary()).isZero();
  }

  @Test
  void deadEndpoint_withRetriesAndEjectionOff_failsRequests() throws Exception {
    // The same experiment without the defaults: proves the experiment detects what they prevent.
    RequestLoop loop =
        killOneEndpointUnderLoad(
            "upstream:\n  retries: 0\n  outlierDetection: {enabled: false}\n", 3);
    assertThat(loop.failed.get()).as(loop.summary()).isGreaterThan(loop.total() / 10);
  }

  /**
   * A backend that answers the first request on each connection (keep-alive) and closes the
   * connection when the second one arrives, without answering it: the HTTP/1.1 keep-alive close
   * race (an endpoint shutting down or its idle timeout expiring just as Envoy reuses the
   * connection), made deterministic. It records every request head it read.
   */
  private static final class ClosesReusedConnections implements AutoCloseable {
    final java.net.ServerSocket server = new java.net.ServerSocket();
    final java.util.List<String> heads =
        java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    ClosesReusedConnections() throws java.io.IOException {
      server.bind(new InetSocketAddress("127.0.0.1", 0));
      Thread t = new Thread(this::accept, "closes-reused-connections");
      t.setDaemon(true);
      t.start();
    }

    int port() {
      return server.getLocalPort();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket c = server.accept();
          Thread t = new Thread(() -> serve(c), "closes-reused-connections-conn");
          t.setDaemon(true);
          t.start();
        } catch (java.io.IOException e) {
          return;
        }
      }
    }

    private void serve(Socket c) {
      try (c) {
        InputStream in = c.getInputStream();
        for (int n = 1; ; n++) {
          String head = head(in);
          if (head == null) {
            return;
          }
          heads.add(head);
          if (n >= 2) {
            return; // closes without an answer
          }
          c.getOutputStream()
              .write(
                  "HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nok\n"
                      .getBytes(StandardCharsets.US_ASCII));
        }
      } catch (java.io.IOException e) {
        // the peer went away
      }
    }

    /** Reads one request head (these requests have no body), or null at end of stream. */
    private static String head(InputStream in) throws java.io.IOException {
      StringBuilder b = new StringBuilder();
      for (int ch = in.read(); ch >= 0; ch = in.read()) {
        b.append((char) ch);
        if (b.length() >= 4 && b.lastIndexOf("\r\n\r\n") == b.length() - 4) {
          return b.toString();
        }
      }
      return null;
    }

    @Override
    public void close() throws java.io.IOException {
      server.close();
    }
  }

  @Test
  void keepAliveCloseRace_retriesIdempotentMethodsOnly() throws Exception {
    try (ClosesReusedConnections backend = new ClosesReusedConnections();
        GatewayHarness gw =
            new GatewayHarness(
                routes(backend.port(), backend.port())
                    + """
                    ---
                    apiVersion: networking.k8s.io/v1
                    kind: Ingress
                    metadata:
                      name: off
                      namespace: default
                      annotations:
                        nginx.ingress.kubernetes.io/proxy-next-upstream: "off"
                    spec:
                      rules:
                        - host: off.test
                          http:
                            paths:
                              - {path: /, pathType: Prefix, backend: {service: {name: pool.static, port: {number: 80}}}}
                    """)) {
      gw.startJvm();
      gw.startEnvoy();
      GatewayHarness.await(
          "the route answers",
          Duration.ofSeconds(15),
          () -> send(gw.httpPort, "GET", "pool.test", false) == 200);
      java.util.Map<String, java.util.List<Integer>> statuses = new java.util.LinkedHashMap<>();
      for (String method : java.util.List.of("GET", "HEAD", "PUT", "DELETE", "POST", "PATCH")) {
        for (int i = 0; i < 10; i++) {
          statuses
              .computeIfAbsent(method, m -> new java.util.ArrayList<>())
              .add(send(gw.httpPort, method, "pool.test", false));
        }
      }
      java.util.List<Integer> spoofed = new java.util.ArrayList<>();
      java.util.List<Integer> off = new java.util.ArrayList<>();
      for (int i = 0; i < 10; i++) {
        spoofed.add(send(gw.httpPort, "POST", "pool.test", true));
      }
      for (int i = 0; i < 10; i++) {
        off.add(send(gw.httpPort, "GET", "off.test", false));
      }
      System.out.println(
          "[upstream-resilience] keep-alive close race, 10 requests each: "
              + statuses
              + ", POST with a client-sent x-envoy-retry-on: "
              + spoofed
              + ", GET on a route with retries off: "
              + off);
      for (String m : java.util.List.of("GET", "HEAD", "PUT", "DELETE")) {
        assertThat(statuses.get(m)).as(m + " is retried on a new connection").containsOnly(200);
      }
      for (String m : java.util.List.of("POST", "PATCH")) {
        assertThat(statuses.get(m)).as(m + " is never repeated").contains(503);
      }
      assertThat(spoofed).as("a client cannot ask for the retry").contains(503);
      assertThat(off).as("proxy-next-upstream: off retries nothing").contains(503);
      assertThat(backend.heads)
          .as("the retry header never reaches the backend")
          .noneMatch(h -> h.toLowerCase(java.util.Locale.ROOT).contains("x-envoy-retry-on"));
    }
  }

  /** Sends one request without a body on a fresh connection; returns the status, -1 on errors. */
  private static int send(int port, String method, String host, boolean spoof) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      s.setSoTimeout(5000);
      s.getOutputStream()
          .write(
              (method
                      + " /race HTTP/1.1\r\nHost: "
                      + host
                      + "\r\nContent-Length: 0\r\nConnection: close\r\n"
                      + (spoof ? "x-envoy-retry-on: reset\r\n" : "")
                      + "\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String status =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      return status == null ? -1 : Integer.parseInt(status.split(" ")[1]);
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Puts a "zombie" endpoint next to a healthy one: it accepts connections and answers every
   * request, health path included, with 500, which passive ejection never counts (an application
   * error is the application's answer). Returns the loop (stopped) that ran for {@code seconds}
   * once the gateway settled: with a health check, once 20 requests in a row reached the healthy
   * endpoint.
   */
  private static RequestLoop zombieEndpointUnderLoad(String upstreamConfig, int seconds)
      throws Exception {
    EchoServer a = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "a");
    com.sun.net.httpserver.HttpServer zombie =
        com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    zombie.createContext(
        "/",
        ex -> {
          byte[] body = "broken\n".getBytes(StandardCharsets.UTF_8);
          ex.sendResponseHeaders(500, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    zombie.start();
    try (GatewayHarness gw = new GatewayHarness(routes(a.port(), zombie.getAddress().getPort()))) {
      java.nio.file.Path conf = gw.home.resolve("conf/gangway.yaml");
      java.nio.file.Files.writeString(conf, java.nio.file.Files.readString(conf) + upstreamConfig);
      gw.startJvm();
      gw.startEnvoy();
      long t0 = System.nanoTime();
      GatewayHarness.await(
          upstreamConfig.isEmpty()
              ? "the route answers"
              : "20 requests in a row reach the healthy endpoint",
          Duration.ofSeconds(20),
          () -> {
            int inARow = 0;
            for (int i = 0; i < 20; i++) {
              try {
                if (RawHttp.get(gw.httpPort, "pool.test", "/").status() == 200) {
                  inARow++;
                }
              } catch (java.io.IOException e) {
                return false;
              }
            }
            return upstreamConfig.isEmpty() ? inARow > 0 : inARow == 20;
          });
      long settled = (System.nanoTime() - t0) / 1_000_000;
      RequestLoop loop = new RequestLoop(gw.httpPort, "pool.test");
      Thread.sleep(seconds * 1000L);
      loop.close();
      long checkFailures = gw.envoyStat("cluster.outbound|80||pool.static.health_check.failure");
      System.out.println(
          "[upstream-resilience] zombie endpoint, "
              + (upstreamConfig.isEmpty()
                  ? "no health check"
                  : "health check, settled after " + settled + " ms")
              + ", "
              + seconds
              + " s: "
              + loop.summary()
              + "; health_check.failure "
              + checkFailures);
      loop.healthCheckFailures = checkFailures;
      return loop;
    } finally {
      a.close();
      zombie.stop(0);
    }
  }

  @Test
  void zombieEndpoint_withAnActiveHealthCheck_failsNoRequest() throws Exception {
    RequestLoop loop =
        zombieEndpointUnderLoad(
            "upstream:\n  healthChecks:\n    - {hosts: pool.static, path: /healthz, interval: 1s,"
                + " timeout: 1s, unhealthyThreshold: 1, healthyThreshold: 1}\n",
            3);
    assertThat(loop.total()).isGreaterThan(100);
    assertThat(loop.failed.get()).as(loop.summary()).isZero();
    assertThat(loop.healthCheckFailures).as("Envoy's own health checker marked it").isPositive();
  }

  @Test
  void zombieEndpoint_withoutAHealthCheck_failsRequests() throws Exception {
    // The same experiment without the check: passive ejection keeps sending to the zombie.
    RequestLoop loop = zombieEndpointUnderLoad("", 3);
    assertThat(loop.failed.get()).as(loop.summary()).isGreaterThan(loop.total() / 10);
  }

  @Test
  void edgeHeadersAndHttp10() throws Exception {
    EchoServer a = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "a");
    try (GatewayHarness gw = new GatewayHarness(routes(a.port(), a.port()))) {
      gw.startJvm();
      gw.startEnvoy();
      GatewayHarness.await(
          "the route answers",
          Duration.ofSeconds(15),
          () -> {
            try {
              return RawHttp.get(gw.httpPort, "pool.test", "/").status() == 200;
            } catch (java.io.IOException e) {
              return false;
            }
          });
      String spoofed =
          raw(
              gw.httpPort,
              "GET / HTTP/1.1\r\nHost: pool.test\r\nX-Real-IP: 6.6.6.6\r\n"
                  + "X-Forwarded-For: 6.6.6.6\r\nConnection: close\r\n\r\n");
      assertThat(spoofed).startsWith("HTTP/1.1 200");
      assertThat(spoofed).doesNotContain("6.6.6.6");
      assertThat(spoofed.replace(" ", ""))
          .contains("\"x-real-ip\":\"127.0.0.1\"")
          .contains("\"x-forwarded-for\":\"127.0.0.1\"");

      String http10 = raw(gw.httpPort, "GET / HTTP/1.0\r\nHost: pool.test\r\n\r\n");
      assertThat(http10).as("HTTP/1.0 is served, not answered 426").startsWith("HTTP/1.0 200");

      String twoHosts =
          raw(
              gw.httpPort,
              "GET / HTTP/1.1\r\nHost: pool.test\r\nHost: other.test\r\nConnection: close\r\n\r\n");
      // Envoy joins duplicate Host headers into one value ("pool.test,other.test") that names no
      // host.
      assertThat(twoHosts)
          .as("two Host headers never reach pool.test's backend")
          .startsWith("HTTP/1.1 404");
    } finally {
      a.close();
    }
  }

  /** Sends {@code request} on a fresh connection and reads until the server closes it. */
  private static String raw(int port, String request) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      s.setSoTimeout(5000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }
}
