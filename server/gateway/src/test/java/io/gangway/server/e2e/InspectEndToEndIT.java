package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gangway.echo.EchoServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /clusters/{name}} of the gateway process against a real Envoy: of two endpoints, one
 * answers 500 to its active health check, and the admin API reports it as failing it, from Envoy's
 * own {@code /clusters}; the CLI reads the same process's {@code /status} and {@code /config_dump}.
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
    try (GatewayHarness gw = new GatewayHarness(routes)) {
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
      System.out.println(
          "[inspect] Envoy's /clusters?format=json: "
              + gw.envoyAdmin("/clusters?format=json").replaceAll("\\s+", " "));
      JsonNode one =
          get(
              gw.adminPort,
              "/clusters/"
                  + java.net.URLEncoder.encode("outbound|80||pool.static", StandardCharsets.UTF_8));
      System.out.println("[inspect] GET /clusters/outbound|80||pool.static: " + one);
      assertThat(one.path("envoy").asText()).isEqualTo("ok");
      JsonNode endpoints = one.path("endpoints");
      assertThat(endpoints.size()).isEqualTo(2);
      for (JsonNode e : endpoints) {
        JsonNode envoy = e.path("envoy");
        assertThat(e.path("registry").asText()).isEqualTo("static/pool");
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
      JsonNode list = get(gw.adminPort, "/clusters");
      assertThat(list.path("clusters").get(0).path("endpoints").asInt()).isEqualTo(2);
      assertThat(list.path("clusters").get(0).path("healthy").asInt()).isEqualTo(1);
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
