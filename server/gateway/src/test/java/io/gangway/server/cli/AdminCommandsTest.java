package io.gangway.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.model.GatewayModel;
import io.gangway.server.admin.AdminFixtures;
import io.gangway.server.admin.ClustersResource;
import io.gangway.server.admin.EnvoyAdminClient;
import io.gangway.server.admin.RoutesResource;
import io.gangway.server.registry.RegistryManager;
import io.javalin.Javalin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminCommandsTest {

  /** An Envoy in sync: every type ACKed, nothing pending (the shape AdminServer writes). */
  private static final String ENVOY_IN_SYNC =
      """
      {"stream": 0, "node": "vm-8080", "connectedAt": "2026-01-01T00:00:02.165759172Z", "types": {
        "clusters": {"acked": {"outbound|80||a.static": "c1", "outbound|80||b.static": "c2"},
          "pending": 0, "lastAckAt": "2026-01-01T00:00:03Z", "nack": null},
        "listeners": {"acked": {"http.8080": "l1"}, "pending": 0,
          "lastAckAt": "2026-01-01T00:00:03Z", "nack": null},
        "routes": {"acked": {"http.8080": "r1"}, "pending": 0,
          "lastAckAt": "2026-01-01T00:00:03Z", "nack": null}}}
      """;

  private static final String READY =
      """
      {"ready": true, "envoy": {"envoyConnected": true, "streams": 1},
       "envoys": [ENVOYS],
       "startedAt": "2026-01-01T00:00:00Z", "appliedAt": "2026-01-01T00:00:01Z",
       "routeSource": "file routes/", "documents": [
         {"source": "routes/a.yaml", "state": "applied", "latestVersion": "v1", "liveVersion": "v1"}],
       "diagnostics": [], "registries": {"static/pool": {"state": "ready", "services": 1,
         "endpoints": 2, "endpointsFrom": "registry"}},
       "counts": {"routes": 3}, "xds": {"versions": {}, "streams": 1}}
      """
          .replace("ENVOYS", ENVOY_IN_SYNC.strip());

  private static final String READYZ_OK = "{\"ready\": true, \"reasons\": []}";

  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private String canned(String path, int status, String body) {
    return serve(Map.of(path, new Canned(status, body)));
  }

  private record Canned(int status, String body) {}

  /** Serves each path's canned answer (JSON); any other path is Javalin's 404. */
  private String serve(Map<String, Canned> answers) {
    Javalin app =
        Javalin.create(
                cfg ->
                    answers.forEach(
                        (path, a) ->
                            cfg.routes.get(
                                path,
                                ctx ->
                                    ctx.status(a.status())
                                        .contentType("application/json")
                                        .result(a.body()))))
            .start("127.0.0.1", 0);
    closing.add(app::stop);
    return "http://127.0.0.1:" + app.port();
  }

  /** A gateway answering {@code status} on {@code /status} and {@code readyz} on /readyz. */
  private String gateway(String status, int readyzStatus, String readyz) {
    return serve(
        Map.of("/status", new Canned(200, status), "/readyz", new Canned(readyzStatus, readyz)));
  }

  @Test
  void status_ofAReadyGatewayWithEnvoy_printsATableWithOneRowPerEnvoyAndExits0() {
    Cli.Result r = Cli.inProcess("status", "--admin", gateway(READY, 200, READYZ_OK));
    assertThat(r.status()).as(r.toString()).isZero();
    assertThat(r.out()).contains("ready         true").contains("envoy         connected (1 xDS");
    assertThat(r.out())
        .as("one row per Envoy, one column per type: the ACKed version, or the resource count")
        .contains(
            """
            ENVOY    STREAM  CONNECTED             CLUSTERS         LISTENERS  ROUTES
            vm-8080  0       2026-01-01T00:00:02Z  ACK 2 resources  ACK l1     ACK r1
            """);
    assertThat(r.out()).containsPattern("routes/a\\.yaml +applied +v1 +v1");
    assertThat(r.out()).containsPattern("static/pool +ready +1 +2 +registry");
    assertThat(r.out()).doesNotContain("not ready").doesNotContain("NACK");
  }

  @Test
  void status_withANackInForce_showsEnvoysMessageAndWhatStaysInForce_andExits1() {
    String message = "regex '/(a|b)/x' RE2 program size of 177 > max program size of 100";
    String nacked =
        READY
            .replace(
                "\"routes\": {\"acked\": {\"http.8080\": \"r1\"}, \"pending\": 0,\n"
                    + "    \"lastAckAt\": \"2026-01-01T00:00:03Z\", \"nack\": null}",
                "\"routes\": {\"acked\": {\"http.8080\": \"r1\"}, \"pending\": 0,"
                    + " \"lastAckAt\": \"2026-01-01T00:00:03Z\", \"nack\": {\"at\":"
                    + " \"2026-01-01T00:01:00Z\", \"message\": \""
                    + message
                    + "\", \"rejected\": {\"http.8080\": \"r2\"}}}")
            .replace("\"ready\": true", "\"ready\": false");
    assertThat(nacked).as("the fixture has the NACK").contains("r2");
    String readyz =
        "{\"ready\": false, \"reasons\": [\"Envoy vm-8080 rejected routes (NACK): "
            + message
            + "\"]}";

    Cli.Result r = Cli.inProcess("status", "--admin", gateway(nacked, 503, readyz));
    assertThat(r.status()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).contains("ready         false").contains("NACK in force");
    assertThat(r.out())
        .containsPattern("vm-8080 +0 +\\S+ +ACK 2 resources +ACK l1 +NACK \\(in force: r1\\)");
    assertThat(r.out())
        .contains(
            "NACK: Envoy vm-8080 rejected routes at 2026-01-01T00:01:00Z: "
                + message
                + " In force: http.8080 r1 (ACKed 2026-01-01T00:00:03Z).");
    assertThat(r.out().split("RE2 program size", -1))
        .as("Envoy's message is printed once (not again as the /readyz reason)")
        .hasSize(2);

    Cli.Result json =
        Cli.inProcess("status", "-o", "json", "--admin", gateway(nacked, 503, readyz));
    assertThat(json.status()).as("-o json exits as the table does").isEqualTo(1);
    assertThat(json.out().strip()).isEqualTo(nacked.strip());
  }

  @Test
  void status_withoutAConnectedEnvoy_exits1AndSaysSo() {
    String noEnvoy = READY.replace(ENVOY_IN_SYNC.strip(), "");
    assertThat(noEnvoy).contains("\"envoys\": []");
    String readyz = "{\"ready\": false, \"reasons\": [\"no Envoy is connected to xDS\"]}";

    Cli.Result r = Cli.inProcess("status", "--admin", gateway(noEnvoy, 503, readyz));
    assertThat(r.status()).as(r.toString()).isEqualTo(1);
    assertThat(r.out())
        .contains("envoy         NOT connected")
        .contains("not ready: no Envoy is connected to xDS")
        .doesNotContain("ENVOY    STREAM");

    // A JVM without /readyz (404): the empty envoys list alone decides.
    Cli.Result old = Cli.inProcess("status", "--admin", canned("/status", 200, noEnvoy));
    assertThat(old.status()).as(old.toString()).isEqualTo(1);
    assertThat(old.out()).contains("not ready: no Envoy is connected to xDS");
  }

  @Test
  void status_notReady_exits1WithTheReasons() {
    String notReady = READY.replace("\"ready\": true", "\"ready\": false");
    String unpublished =
        "{\"ready\": false, \"reasons\": [\"the first config is not published yet\"]}";
    Cli.Result r = Cli.inProcess("status", "--admin", gateway(notReady, 503, unpublished));
    assertThat(r.status()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).contains("not ready: the first config is not published yet");

    // /status says ready but /readyz does not (a push Envoy has not answered yet): not ready.
    String unanswered =
        "{\"ready\": false, \"reasons\": [\"Envoy vm-8080 has not answered 1 routes push(es)\"]}";
    Cli.Result pending = Cli.inProcess("status", "--admin", gateway(READY, 503, unanswered));
    assertThat(pending.status()).as(pending.toString()).isEqualTo(1);
    assertThat(pending.out()).contains("not ready: Envoy vm-8080 has not answered 1 routes push");

    // An unanswered push in envoys[] is not in sync even without /readyz.
    String inFlight =
        READY.replace(
            "\"acked\": {\"http.8080\": \"r1\"}, \"pending\": 0",
            "\"acked\": {\"http.8080\": \"r1\"}, \"pending\": 1");
    assertThat(inFlight).contains("\"pending\": 1");
    Cli.Result old = Cli.inProcess("status", "--admin", canned("/status", 200, inFlight));
    assertThat(old.status()).as(old.toString()).isEqualTo(1);
    assertThat(old.out()).contains("PENDING 1 (ACK r1)");
  }

  @Test
  void status_asJson_printsTheRawAnswer() {
    Cli.Result r = Cli.inProcess("status", "-o", "json", "--admin", gateway(READY, 200, READYZ_OK));
    assertThat(r.status()).isZero();
    assertThat(r.out().strip()).isEqualTo(READY.strip());
  }

  @Test
  void status_unreachableOrUsage_exits3Or2() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Cli.Result down = Cli.inProcess("status", "--admin", "http://127.0.0.1:" + closedPort);
    assertThat(down.status()).as(down.toString()).isEqualTo(3);
    assertThat(down.err()).contains("does not answer");
    assertThat(Cli.inProcess("status", "--bogus").status()).isEqualTo(2);
  }

  @Test
  void anUnreachableAdminOr401_exits3WithAFix() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Cli.Result down = Cli.inProcess("routes", "--admin", "http://127.0.0.1:" + closedPort);
    assertThat(down.status()).isEqualTo(3);
    assertThat(down.err()).contains("does not answer").contains("Fix:");
    Cli.Result refused =
        Cli.inProcess("clusters", "--admin", canned("/clusters", 401, "unauthorized"));
    assertThat(refused.status()).isEqualTo(3);
    assertThat(refused.err()).contains("401").contains("GANGWAY_ADMIN_TOKEN");
  }

  @Test
  void usageErrors_exit2() {
    assertThat(Cli.inProcess("config-dump", "--type", "passwords").status()).isEqualTo(2);
    assertThat(Cli.inProcess("endpoints").status()).isEqualTo(2);
  }

  @Test
  void theToken_isSentAsBearer(@TempDir Path dir) throws Exception {
    Javalin app =
        Javalin.create(
                cfg ->
                    cfg.routes.get(
                        "/status",
                        ctx -> {
                          boolean ok = "Bearer s3cret".equals(ctx.header("Authorization"));
                          ctx.status(ok ? 200 : 401).result(ok ? READY : "unauthorized");
                        }))
            .start("127.0.0.1", 0);
    closing.add(app::stop);
    String url = "http://127.0.0.1:" + app.port();
    assertThat(
            Cli.process(dir, Map.of("GANGWAY_ADMIN_TOKEN", "s3cret"), "status", "--admin", url)
                .status())
        .isZero();
    assertThat(
            Cli.process(dir, Map.of("GANGWAY_ADMIN_TOKEN", "wrong"), "status", "--admin", url)
                .status())
        .isEqualTo(3);
  }

  @Test
  void theAdminAddress_comesFromGangwayYamlWhenNotGiven(@TempDir Path dir) throws Exception {
    String url = canned("/status", 200, READY);
    Path conf = dir.resolve("gangway.yaml");
    java.nio.file.Files.writeString(
        conf,
        "admin:\n  address: 127.0.0.1\n  port: " + url.substring(url.lastIndexOf(':') + 1) + "\n");
    assertThat(Cli.inProcess("status", "--config", conf.toString()).status()).isZero();
  }

  @Test
  void routesClustersAndEndpoints_againstTheRealResources_printAlignedTables() throws Exception {
    GatewayModel model = AdminFixtures.model("127.0.0.1:7001,127.0.0.1:7002");
    RegistryManager registries = new RegistryManager(RegistryManager.loadProviders(), () -> {});
    closing.add(registries);
    registries.reconcile(model.registries());
    assertThat(registries.awaitReady(Duration.ofSeconds(5))).isTrue();
    Javalin envoy =
        Javalin.create(
                cfg ->
                    cfg.routes.get(
                        "/clusters",
                        ctx ->
                            ctx.contentType("application/json").result(AdminFixtures.ENVOY_JSON)))
            .start("127.0.0.1", 0);
    closing.add(envoy::stop);
    Javalin admin =
        AdminFixtures.serve(
            new RoutesResource(() -> model),
            new ClustersResource(
                () -> model, registries, new EnvoyAdminClient("127.0.0.1", envoy.port())));
    closing.add(admin::stop);
    String url = "http://127.0.0.1:" + admin.port();

    Cli.Result routes = Cli.inProcess("routes", "--admin", url, "--host", "pool.test");
    assertThat(routes.status()).as(routes.toString()).isZero();
    List<String> lines = routes.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith("HOST       MATCH");
    int column = lines.get(0).indexOf("SOURCE");
    assertThat(lines.get(1).substring(column)).startsWith("routes.yaml:21");
    assertThat(lines.get(2).substring(column)).startsWith("routes.yaml:20");
    assertThat(lines.get(2))
        .contains("prefix /api [methods GET]")
        .contains("outbound|80||pool.static");

    Cli.Result clusters = Cli.inProcess("clusters", "--admin", url);
    assertThat(clusters.status()).as(clusters.toString()).isZero();
    assertThat(clusters.out())
        .containsPattern("outbound\\|80\\|\\|pool\\.static +pool\\.static +\\S+ +2 +1");

    Cli.Result endpoints = Cli.inProcess("endpoints", "pool.static", "--admin", url);
    assertThat(endpoints.status()).as(endpoints.toString()).isZero();
    assertThat(endpoints.out())
        .containsPattern("127\\.0\\.0\\.1 +7001 +1 +\\S+ +healthy +- +99\\.5")
        .containsPattern(
            "127\\.0\\.0\\.1 +7002 +1 +\\S+ +UNHEALTHY +failed_active_health_check,failed_outlier_check");

    assertThat(endpoints.out())
        .as("the table docs/operations.md shows")
        .isEqualTo(
            """
            outbound|80||pool.static (service pool.static)
            ADDRESS    PORT  WEIGHT  REGISTRY     HEALTH     FAILURES                                         SUCCESS  METADATA
            127.0.0.1  7001  1       static/pool  healthy    -                                                99.5     -
            127.0.0.1  7002  1       static/pool  UNHEALTHY  failed_active_health_check,failed_outlier_check  -        -
            """);

    Cli.Result unknown = Cli.inProcess("endpoints", "nope.static", "--admin", url);
    assertThat(unknown.status()).isEqualTo(1);
    assertThat(unknown.err()).contains("no cluster or service nope.static");
  }
}
