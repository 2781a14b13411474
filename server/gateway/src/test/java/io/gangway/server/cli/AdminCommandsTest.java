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

  private static final String READY =
      """
      {"ready": true, "envoy": {"envoyConnected": true, "streams": 1},
       "startedAt": "2026-01-01T00:00:00Z", "appliedAt": "2026-01-01T00:00:01Z",
       "routeSource": "file routes/", "documents": [
         {"source": "routes/a.yaml", "state": "applied", "latestVersion": "v1", "liveVersion": "v1"}],
       "diagnostics": [], "registries": {"static/pool": {"state": "ready", "services": 1,
         "endpoints": 2, "endpointsFrom": "registry"}},
       "counts": {"routes": 3}, "xds": {"versions": {}, "streams": 1}}
      """;

  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private String canned(String path, int status, String body) {
    Javalin app =
        Javalin.create(
                cfg ->
                    cfg.routes.get(
                        path,
                        ctx -> ctx.status(status).contentType("application/json").result(body)))
            .start("127.0.0.1", 0);
    closing.add(app::stop);
    return "http://127.0.0.1:" + app.port();
  }

  @Test
  void status_ofAReadyGatewayWithEnvoy_printsATableAndExits0() {
    Cli.Result r = Cli.inProcess("status", "--admin", canned("/status", 200, READY));
    assertThat(r.status()).as(r.toString()).isZero();
    assertThat(r.out()).contains("ready         true").contains("envoy         connected (1 xDS");
    assertThat(r.out()).containsPattern("routes/a\\.yaml +applied +v1 +v1");
    assertThat(r.out()).containsPattern("static/pool +ready +1 +2 +registry");
  }

  @Test
  void status_notReadyOrWithoutEnvoy_exits1() {
    String notReady = READY.replace("\"ready\": true", "\"ready\": false");
    assertThat(Cli.inProcess("status", "--admin", canned("/status", 200, notReady)).status())
        .isEqualTo(1);
    String noEnvoy = READY.replace("\"envoyConnected\": true", "\"envoyConnected\": false");
    assertThat(Cli.inProcess("status", "--admin", canned("/status", 200, noEnvoy)).status())
        .isEqualTo(1);
  }

  @Test
  void status_asJson_printsTheRawAnswer() {
    Cli.Result r = Cli.inProcess("status", "-o", "json", "--admin", canned("/status", 200, READY));
    assertThat(r.status()).isZero();
    assertThat(r.out().strip()).isEqualTo(READY.strip());
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
    assertThat(Cli.inProcess("config-dump", "--type", "secrets").status()).isEqualTo(2);
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
