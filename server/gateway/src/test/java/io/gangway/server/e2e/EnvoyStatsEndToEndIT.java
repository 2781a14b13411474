package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gangway.echo.EchoServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 10 item 3: Envoy's metrics through the bootstrap's stats listener, with a real JVM and a
 * real Envoy. Only {@code GET /stats/prometheus} reaches the admin API through it; the names the
 * dashboard and alerts use exist; and 10,000 routes in 100 virtual hosts do not multiply the series
 * (the inclusion list keeps nothing per route or virtual host). A second Envoy started from the
 * same bootstrap without the inclusion list, on the same JVM, gives the count without it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EnvoyStatsEndToEndIT {

  private static final int SERVICES = 10;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private EchoServer echo;
  private GatewayHarness gw;
  private int seriesAt10 = -1;

  @BeforeAll
  void start() throws Exception {
    echo = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "echo");
    gw = new GatewayHarness(routes(1, 10));
    gw.startJvm();
    gw.startEnvoy();
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

  /** {@code hosts} virtual hosts with {@code paths} exact paths over {@link #SERVICES} services. */
  private String routes(int hosts, int paths) {
    return RouteYaml.many(SERVICES, echo.port(), hosts, paths, 0);
  }

  @Test
  @Order(1)
  void statsListener_servesOnlyGetStatsPrometheus_everythingElseIs404_andEnvoyStaysUp()
      throws Exception {
    HttpResponse<String> ok = send("GET", "/stats/prometheus");
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).contains("envoy_server_uptime");
    for (String path :
        new String[] {
          "/quitquitquit",
          "/config_dump",
          "/stats",
          "/clusters",
          "/server_info",
          "/logging?level=trace",
          "/drain_listeners",
          "/healthcheck/fail",
          "/stats/prometheus/",
          "/stats/prometheus/../../quitquitquit",
          "/stats/prometheus%2F..%2Fquitquitquit",
          "/"
        }) {
      assertThat(send("GET", path).statusCode()).as("GET %s", path).isEqualTo(404);
      assertThat(send("POST", path).statusCode()).as("POST %s", path).isEqualTo(404);
    }
    assertThat(send("POST", "/stats/prometheus").statusCode()).isEqualTo(404);
    assertThat(send("HEAD", "/stats/prometheus").statusCode()).isEqualTo(404);
    assertThat(gw.envoyAlive()).isTrue();
    assertThat(gw.envoyAdmin("/ready").trim()).isEqualTo("LIVE");
    assertThat(gw.envoyStat("server.state")).as("server.state 0 = LIVE").isZero();
  }

  @Test
  @Order(2)
  void theEnvoyNamesOfTheDashboardAndAlerts_existInTheScrape() throws Exception {
    for (int i = 0; i < 10; i++) {
      assertThat(RawHttp.get(gw.httpPort, "h0.test", "/p" + i).status()).isEqualTo(200);
    }
    assertThat(RawHttp.get(gw.httpPort, "h0.test", "/nothing-here").status()).isEqualTo(404);
    GatewayHarness.await(
        "the cluster request counters show the traffic",
        Duration.ofSeconds(10),
        () -> scrape(gw.envoyStatsPort).contains("envoy_cluster_upstream_rq_xx{"));
    String scrape = scrape(gw.envoyStatsPort);
    Set<String> names = names(scrape);
    assertThat(names).containsAll(MetricNames.ENVOY);
    assertThat(scrape)
        .as("the cluster label is the whole cluster name")
        .contains("envoy_cluster_upstream_rq_total{envoy_cluster_name=\"outbound|80||s1.static\"}")
        .as("the connection-manager label is the listener name")
        .contains(
            "envoy_http_downstream_rq_total{envoy_http_conn_manager_prefix=\"http."
                + gw.httpPort
                + "\"}");
    assertThat(scrape)
        .as("RDS stats per listener, its route configuration as a label")
        .containsPattern(
            "envoy_http_rds_config_reload\\{[^}]*envoy_rds_route_config=\"http\\."
                + gw.httpPort
                + "\"");
    assertThat(names)
        .as("nothing per virtual host or route")
        .noneMatch(n -> n.startsWith("envoy_vhost"));
    seriesAt10 = series(scrape);
    System.out.printf(
        "[stats] 10 routes: %d series, %d names; without the inclusion list: %d series%n",
        seriesAt10, names.size(), seriesWithoutTheInclusionList());
  }

  @Test
  @Order(3)
  void tenThousandRoutesInAHundredVirtualHosts_keepTheSeriesCountBounded() throws Exception {
    assertThat(seriesAt10).as("the 10-route count (previous test)").isPositive();
    gw.writeRoutes(routes(100, 10_000));
    GatewayHarness.await(
        "Envoy serves the last of the 10,000 paths",
        Duration.ofSeconds(120),
        () -> status("h99.test", "/p9999") == 200);
    for (int s = 0; s < SERVICES; s++) {
      assertThat(RawHttp.get(gw.httpPort, "h" + s + ".test", "/p" + (s * 100 + s)).status())
          .isEqualTo(200);
    }
    Thread.sleep(6_000); // one stats flush (5 s) so every histogram is rendered
    String scrape = scrape(gw.envoyStatsPort);
    int at10k = series(scrape);
    System.out.printf(
        "[stats] series of one service's cluster: %d%n",
        scrape
            .lines()
            .filter(l -> l.contains("envoy_cluster_name=\"outbound|80||s1.static\""))
            .count());
    System.out.printf("[stats] 10,000 routes: %d series (10 routes: %d)%n", at10k, seriesAt10);
    assertThat(at10k).isLessThan(2 * seriesAt10);

    int without = seriesWithoutTheInclusionList();
    System.out.printf("[stats] 10,000 routes without the inclusion list: %d series%n", without);
    assertThat(at10k).as("the same Envoy without the inclusion list").isLessThan(without / 2);
  }

  /**
   * Starts a second Envoy from the JVM's bootstrap minus {@code stats_config.stats_matcher} (own
   * admin port, stats port and base id; the public listener shares its port through SO_REUSEPORT),
   * waits until it has the 10,000 routes, and counts its series.
   */
  private int seriesWithoutTheInclusionList() throws Exception {
    ObjectMapper json = new ObjectMapper();
    ObjectNode b = (ObjectNode) json.readTree(gw.home.resolve("run/envoy-bootstrap.json").toFile());
    ((ObjectNode) b.get("statsConfig")).remove("statsMatcher");
    int admin = GatewayHarness.freePort();
    int stats = GatewayHarness.freePort();
    ((ObjectNode) b.at("/admin/address/socketAddress")).put("portValue", admin);
    ((ObjectNode) b.at("/staticResources/listeners/0/address/socketAddress"))
        .put("portValue", stats);
    ((ObjectNode) b.at("/node")).put("id", "no-inclusion-list");
    Path file = gw.home.resolve("run/envoy-bootstrap-all-stats.json");
    Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(b));
    Process envoy =
        new ProcessBuilder(
                Envoys.binary().toString(),
                "-c",
                file.toString(),
                "--base-id",
                String.valueOf(40_000 + (admin % 10_000)),
                "--concurrency",
                "1",
                "--log-path",
                gw.home.resolve("logs/envoy-all-stats.log").toString())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(
                    gw.home.resolve("logs/envoy-all-stats.out").toFile()))
            .start();
    try {
      GatewayHarness.await(
          "the second Envoy has the routes",
          Duration.ofSeconds(120),
          () ->
              get("http://127.0.0.1:" + admin + "/stats?filter=config_reload")
                  .lines()
                  .anyMatch(l -> l.matches("http\\..*\\.rds\\..*\\.config_reload: [1-9][0-9]*")));
      Thread.sleep(6_000);
      // Its admin API directly: its stats listener's admin cluster still names the first Envoy.
      String all = get("http://127.0.0.1:" + admin + "/stats/prometheus");
      System.out.printf(
          "[stats] without the inclusion list, series of one service's cluster: %d%n",
          all.lines()
              .filter(l -> l.contains("envoy_cluster_name=\"outbound|80||s1.static\""))
              .count());
      return series(all);
    } finally {
      envoy.destroy();
      if (!envoy.waitFor(10, TimeUnit.SECONDS)) {
        envoy.destroyForcibly();
      }
    }
  }

  private int status(String host, String path) {
    try {
      return RawHttp.get(gw.httpPort, host, path).status();
    } catch (IOException e) {
      return -1;
    }
  }

  private HttpResponse<String> send(String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.envoyStatsPort + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .timeout(Duration.ofSeconds(5))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String scrape(int port) {
    return get("http://127.0.0.1:" + port + "/stats/prometheus");
  }

  private String get(String url) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** The number of series: sample lines of the text exposition. */
  static int series(String scrape) {
    return (int) scrape.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).count();
  }

  /** The series names of the text exposition. */
  static Set<String> names(String scrape) {
    Set<String> out = new TreeSet<>();
    scrape
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .forEach(l -> out.add(l.split("[{ ]", 2)[0]));
    return out;
  }
}
