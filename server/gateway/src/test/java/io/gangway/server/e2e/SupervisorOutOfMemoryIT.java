package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 item 16: a JVM that runs out of memory on a large route set. Before, the supervisor said
 * only "exited with status 3" (the status of "port in use") and named the route count of whatever
 * run last logged one; now the status is out of memory's own (4) and one line names the heap and
 * the routes the dying JVM had counted.
 */
class SupervisorOutOfMemoryIT {

  private static final int ROUTES = 30_000;

  private static String routes(int count) {
    StringBuilder sb =
        new StringBuilder(
            """
        apiVersion: networking.higress.io/v1
        kind: McpBridge
        metadata: {name: default, namespace: higress-system}
        spec:
          registries:
            - {type: static, name: a, domain: "127.0.0.1:9", port: 80}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: big}
        spec:
          rules:
            - host: big.test
              http:
                paths:
        """);
    for (int i = 0; i < count; i++) {
      sb.append("            - {path: /p")
          .append(i)
          .append(
              ", pathType: Prefix, backend: {service: {name: a.static, port: {number: 80}}}}\n");
    }
    return sb.toString();
  }

  @Test
  void jvmOutOfMemoryAtColdStart_exitsWithItsOwnStatus_andOneLineNamesTheRouteCountAndHeap()
      throws Exception {
    try (ScriptHome h = ScriptHome.create(routes(ROUTES))) {
      h.addEnv("GANGWAY_HEAP_OPTS=\"-Xms24m -Xmx24m\"\nJAVA_OPT_EXT=-XX:+UseSerialGC\n");
      // A line from an earlier, smaller run: the message must not take its count from here.
      Files.createDirectories(h.home.resolve("logs"));
      Files.writeString(
          h.home.resolve("logs/gangway.log"),
          "2026-01-01 00:00:00.000 INFO  Pipeline - applied routes change in 1.0 ms: pushed [routes]"
              + " (1 virtual hosts, 3 routes, 1 clusters)\n");

      ScriptHome.Result r =
          h.run(
              Duration.ofMinutes(3),
              Map.of("ENVOY_BIN", Envoys.binary().toString(), "GANGWAY_READY_TIMEOUT", "150"),
              "bin/startup.sh");

      String supervisorLog = h.read("logs/supervisor.log");
      String context =
          r.output()
              + "\n--- supervisor.log ---\n"
              + supervisorLog
              + "\n--- gangway.out ---\n"
              + h.read("logs/gangway.out");
      assertThat(r.status()).as(context).isEqualTo(4);
      assertThat(r.output())
          .as(context)
          .containsPattern(
              "gangway: error: the Gangway JVM ran out of memory \\(heap -Xmx24m, "
                  + ROUTES
                  + " routes\\b");
      assertThat(supervisorLog.lines().filter(l -> l.contains("out of memory")).toList())
          .as(context)
          .hasSize(1);
      assertThat(supervisorLog).as(context).doesNotContain("status 3");
    }
  }

  @Test
  void routeEditThatExhaustsTheHeap_isLoggedAsOutOfMemory_withTheNewRouteCount() throws Exception {
    try (ScriptHome h = ScriptHome.create(routes(2))) {
      h.addEnv(
          "GANGWAY_HEAP_OPTS=\"-Xms24m -Xmx24m\"\nJAVA_OPT_EXT=-XX:+UseSerialGC\nGANGWAY_MAX_RESTARTS=1\n");
      ScriptHome.Result r =
          h.run(
              Duration.ofMinutes(3),
              Map.of("ENVOY_BIN", Envoys.binary().toString()),
              "bin/startup.sh");
      assertThat(r.status()).as(r.output() + h.read("logs/supervisor.log")).isZero();
      assertThat(h.read("run/gangway.routes")).isEqualTo("2 routes\n");

      Files.writeString(h.home.resolve("conf/routes/.big.tmp"), routes(ROUTES));
      Files.move(
          h.home.resolve("conf/routes/.big.tmp"),
          h.home.resolve("conf/routes/routes.yaml"),
          java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);

      GatewayHarness.await(
          "the restarted JVM dies too: degraded",
          Duration.ofSeconds(90),
          () -> h.read("run/supervisor.state").startsWith("degraded"));
      String supervisorLog = h.read("logs/supervisor.log");
      String context = supervisorLog + "\n--- gangway.out ---\n" + h.read("logs/gangway.out");
      var oom = supervisorLog.lines().filter(l -> l.contains("out of memory")).toList();
      // The JVM that read the edit may die before it counted the new file (then it names the 2
      // routes it
      // served); the restarted one counts the file before parsing it.
      assertThat(oom)
          .as(context)
          .hasSizeGreaterThanOrEqualTo(2)
          .allMatch(
              l ->
                  l.matches(
                      ".*Gangway JVM \\(pid \\d+\\) exited after [0-9.]+ s: gangway: error: the Gangway"
                          + " JVM ran out of memory \\(heap -Xmx24m, (2|"
                          + ROUTES
                          + ") routes; status 4\\)\\. Fix: .*"));
      assertThat(oom.get(oom.size() - 1))
          .as(context)
          .contains("heap -Xmx24m, " + ROUTES + " routes; status 4");
      assertThat(supervisorLog).as(context).doesNotContain("status 3");
    }
  }
}
