package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gangway.echo.EchoServer;
import io.gangway.ingress.IngressTranslator;
import io.gangway.model.GatewayModel;
import io.gangway.server.admin.ClustersResource;
import io.gangway.server.admin.EnvoyAdminClient;
import io.gangway.server.registry.RegistryManager;
import io.gangway.spi.route.RouteDocument;
import io.gangway.spi.route.SourceRef;
import io.javalin.Javalin;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /clusters/{name}} against a real Envoy: of two endpoints, one answers 500 to its
 * active health check, and the admin API reports it as failing it, from Envoy's own {@code
 * /clusters}. The gateway process cannot mount the new resources yet (the admin server is being
 * rewritten), so the resource runs in this JVM over the same route file's model and a registry
 * manager of its own, pointed at the harness's Envoy admin port.
 */
class InspectEndToEndIT {

  @Test
  void aZombieEndpoint_isReportedAsFailingEnvoysActiveHealthCheck() throws Exception {
    EchoServer good = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "a");
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
    int zombiePort = zombie.getAddress().getPort();
    String routes =
        RouteYaml.forHost(
            RouteYaml.staticRegistry(
                "pool", "127.0.0.1:" + good.port() + ",127.0.0.1:" + zombiePort),
            "{name: pool, namespace: default}",
            "pool.test",
            "pool.static");
    GatewayModel model =
        new IngressTranslator(null)
            .translateDocuments(List.of(new RouteDocument(SourceRef.file("r.yaml"), routes, "v1")))
            .model();
    try (GatewayHarness gw = new GatewayHarness(routes);
        RegistryManager registries =
            new RegistryManager(RegistryManager.loadProviders(), () -> {})) {
      Path conf = gw.home.resolve("conf/gangway.yaml");
      Files.writeString(
          conf,
          Files.readString(conf)
              + "upstream:\n  healthChecks:\n    - {hosts: pool.static, path: /healthz, interval: 1s,"
              + " timeout: 1s, unhealthyThreshold: 1, healthyThreshold: 1}\n");
      gw.startJvm();
      gw.startEnvoy();
      GatewayHarness.await(
          "Envoy's health checker failed the zombie",
          Duration.ofSeconds(20),
          () -> gw.envoyStat("cluster.outbound|80||pool.static.health_check.failure") > 0);
      registries.reconcile(model.registries());
      assertThat(registries.awaitReady(Duration.ofSeconds(5))).isTrue();
      Javalin admin =
          Javalin.create(
                  cfg ->
                      new ClustersResource(
                              () -> model,
                              registries,
                              new EnvoyAdminClient("127.0.0.1", gw.envoyAdminPort))
                          .addTo(cfg.routes))
              .start("127.0.0.1", 0);
      try {
        System.out.println(
            "[inspect] Envoy's /clusters?format=json: "
                + gw.envoyAdmin("/clusters?format=json").replaceAll("\\s+", " "));
        JsonNode one =
            get(
                admin.port(),
                "/clusters/"
                    + java.net.URLEncoder.encode(
                        "outbound|80||pool.static", StandardCharsets.UTF_8));
        System.out.println("[inspect] GET /clusters/outbound|80||pool.static: " + one);
        assertThat(one.path("envoy").asText()).isEqualTo("ok");
        JsonNode endpoints = one.path("endpoints");
        assertThat(endpoints.size()).isEqualTo(2);
        for (JsonNode e : endpoints) {
          JsonNode envoy = e.path("envoy");
          assertThat(e.path("registry").asText()).isEqualTo(model.registries().get(0).key());
          if (e.path("port").asInt() == zombiePort) {
            assertThat(envoy.path("healthy").asBoolean()).as(e.toString()).isFalse();
            assertThat(envoy.path("failures").toString()).contains("failed_active_health_check");
          } else {
            assertThat(envoy.path("healthy").asBoolean()).as(e.toString()).isTrue();
            assertThat(envoy.path("failures").size()).isZero();
          }
        }
        // The CLI against the gateway process's real /status and /config_dump.
        String gateway = "http://127.0.0.1:" + gw.adminPort;
        GatewayHarness.await(
            "gangway status exits 0 (ready, Envoy connected)",
            Duration.ofSeconds(15),
            () ->
                new picocli.CommandLine(io.gangway.server.Main.class)
                        .execute("status", "--admin", gateway)
                    == 0);
        assertThat(
                new picocli.CommandLine(io.gangway.server.Main.class)
                    .execute("config-dump", "--type", "clusters", "--admin", gateway))
            .isZero();
        JsonNode list = get(admin.port(), "/clusters");
        assertThat(list.path("clusters").get(0).path("endpoints").asInt()).isEqualTo(2);
        assertThat(list.path("clusters").get(0).path("healthy").asInt()).isEqualTo(1);
      } finally {
        admin.stop();
      }
    } finally {
      good.close();
      zombie.stop(0);
    }
  }

  private static JsonNode get(int port, String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return new ObjectMapper().readTree(r.body());
  }
}
