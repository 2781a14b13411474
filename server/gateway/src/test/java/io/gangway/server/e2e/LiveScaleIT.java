package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 11 item 3's guard: 100,000 routes in 1,000 documents go live through the scripts, the
 * default heap ({@code -Xmx512m}, nothing set in {@code gangway.env}) and a real Envoy, and the
 * next edit of one small document is applied by the same JVM. The bound is memory, not time: the
 * waits are generous, and the test fails on an out-of-memory exit, a restarted JVM or a route that
 * never goes live. The routes point at a closed port, so a live route answers 503 and a missing one
 * 404; no backend is needed.
 */
class LiveScaleIT {

  private static final int DOCUMENTS = 1_000;
  private static final int PER_DOCUMENT = 100;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private static final String BRIDGE =
      """
      apiVersion: networking.higress.io/v1
      kind: McpBridge
      metadata: {name: default, namespace: higress-system}
      spec:
        registries:
          - {type: static, name: closed, domain: "127.0.0.1:9", port: 80}
      """;

  private static String small(int version) {
    return """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: small, namespace: default}
        spec:
          rules:
            - host: edit.test
              http:
                paths:
                  - {path: /edit/%d, pathType: Exact, backend: {service: {name: closed.static, port: {number: 80}}}}
        """
        .formatted(version);
  }

  private static String document(int d) {
    StringBuilder sb =
        new StringBuilder(
            """
            apiVersion: networking.k8s.io/v1
            kind: Ingress
            metadata: {name: ing-%d, namespace: default}
            spec:
              rules:
                - host: host%d.test
                  http:
                    paths:
            """
                .formatted(d, d % 100));
    for (int i = 0; i < PER_DOCUMENT; i++) {
      int n = d * PER_DOCUMENT + i;
      sb.append("              - {path: /api/v")
          .append(n % 7)
          .append("/resource-")
          .append(n)
          .append(n % 2 == 0 ? ", pathType: Prefix" : ", pathType: Exact")
          .append(", backend: {service: {name: closed.static, port: {number: 80}}}}\n");
    }
    return sb.toString();
  }

  private static int status(int port, String host, String path) {
    try {
      return RawHttp.get(port, host, path).status();
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  /** Envoy's {@code listener_manager.listener_modified} counter, as text. */
  private static String listenerModified(int envoyAdmin) throws Exception {
    String body =
        HTTP.send(
                HttpRequest.newBuilder(
                        URI.create(
                            "http://127.0.0.1:"
                                + envoyAdmin
                                + "/stats?filter=%5Elistener_manager.listener_modified%24"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    Matcher m = Pattern.compile("listener_manager\\.listener_modified: (\\d+)").matcher(body);
    return m.find() ? m.group(1) : "";
  }

  /** Fails at once when the supervisor reports the JVM out of memory (it would restart it). */
  private static boolean notOutOfMemory(ScriptHome h) {
    String log = h.read("logs/supervisor.log");
    if (log.contains("out of memory")) {
      throw new AssertionError("the JVM ran out of memory:\n" + log);
    }
    return true;
  }

  private static int port(String yaml, String pattern) {
    Matcher m = Pattern.compile(pattern).matcher(yaml);
    assertThat(m.find()).as(pattern + " in\n" + yaml).isTrue();
    return Integer.parseInt(m.group(1));
  }

  @Test
  void hundredThousandRoutes_goLive_withTheDefaultHeap_andTheNextEditApplies() throws Exception {
    try (ScriptHome h = ScriptHome.create(BRIDGE + "---\n" + small(0))) {
      String yaml = h.read("conf/gangway.yaml");
      int http = port(yaml, "listeners: \\[\\{address: 127\\.0\\.0\\.1, port: (\\d+)\\}\\]");
      int admin = port(yaml, "(?m)^admin: \\{address: 127\\.0\\.0\\.1, port: (\\d+)\\}");
      int envoyAdmin = port(yaml, "(?m)^  admin: \\{address: 127\\.0\\.0\\.1, port: (\\d+)\\}");
      ScriptHome.Result started =
          h.run(
              Duration.ofMinutes(3),
              Map.of("ENVOY_BIN", Envoys.binary().toString()),
              "bin/startup.sh");
      assertThat(started.status()).as(started.output()).isZero();
      assertThat(h.read("conf/gangway.env")).doesNotContain("GANGWAY_HEAP_OPTS");
      String jvm = h.read("run/gangway.pid").strip();
      // Awaited, not asserted at once: one CI run saw 404 right after startup.sh returned (Envoy
      // LIVE, the first route not yet served); that start-up window is an open question of its own
      // (issue 11 closing note), not what this test guards.
      GatewayHarness.await(
          "the first route is live",
          Duration.ofSeconds(30),
          () -> status(http, "edit.test", "/edit/0") == 503);
      String listenersBefore = listenerModified(envoyAdmin);

      // The 100,000 routes arrive as one edit: written aside, then moved in.
      Path stage = Files.createDirectories(h.home.resolve("stage"));
      for (int d = 0; d < DOCUMENTS; d++) {
        Files.writeString(stage.resolve("ing-%04d.yaml".formatted(d)), document(d));
      }
      try (var files = Files.list(stage)) {
        for (Path f : files.toList()) {
          Files.move(
              f,
              h.home.resolve("conf/routes").resolve(f.getFileName()),
              StandardCopyOption.ATOMIC_MOVE);
        }
      }
      int last = DOCUMENTS * PER_DOCUMENT - 1;
      String lastHost = "host" + ((DOCUMENTS - 1) % 100) + ".test";
      String lastPath = "/api/v" + (last % 7) + "/resource-" + last;
      String context = "see logs/ under " + h.home;
      GatewayHarness.await(
          "the last of 100,000 routes is live " + context,
          Duration.ofMinutes(3),
          () -> notOutOfMemory(h) && status(http, lastHost, lastPath) == 503);
      assertThat(status(http, "host0.test", "/api/v0/resource-0")).isEqualTo(503);

      Path tmp = h.home.resolve("conf/routes/.small.tmp");
      Files.writeString(tmp, BRIDGE + "---\n" + small(1));
      Files.move(
          tmp,
          h.home.resolve("conf/routes/routes.yaml"),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
      GatewayHarness.await(
          "the edit after 100,000 routes is live " + context,
          Duration.ofMinutes(2),
          () -> notOutOfMemory(h) && status(http, "edit.test", "/edit/1") == 503);
      assertThat(status(http, "edit.test", "/edit/0")).isEqualTo(404);

      String status =
          HTTP.send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + admin + "/status"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(status).containsPattern("\"routes\" *: *100001\\b");
      assertThat(h.read("run/gangway.pid").strip()).as("the JVM was not restarted").isEqualTo(jvm);
      assertThat(listenerModified(envoyAdmin))
          .as("route edits never touch a listener")
          .isNotEmpty()
          .isEqualTo(listenersBefore);
      assertThat(h.read("logs/supervisor.log")).doesNotContain("out of memory");
      assertThat(h.read("logs/gangway.out") + h.read("logs/gangway.log"))
          .doesNotContain("OutOfMemoryError");
    }
  }
}
