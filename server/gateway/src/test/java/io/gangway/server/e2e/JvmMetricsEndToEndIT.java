package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gangway.echo.EchoServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Issue 10 item 2: the JVM's own {@code /metrics} on the admin port, with a real JVM and a real
 * Envoy. Every agreed {@code gangway_*} name and the JVM and process basics are there; 10,000
 * routes in 100 virtual hosts add no series over 10 routes in one (nothing is labelled per route,
 * path or virtual host); and every {@code gangway_*} name the Grafana dashboard and the alert rules
 * query is in the live scrape (the Envoy names are checked live by {@link EnvoyStatsEndToEndIT}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JvmMetricsEndToEndIT {

  private static final int SERVICES = 10;

  /**
   * How many more series the 10,000-route scrape may have: JVM meters that appear with load (a new
   * GC cause, a push cause seen for the first time: 16 series). A per-virtual-host meter would add
   * 100 or more, a per-route one 10,000.
   */
  private static final int SLACK = 50;

  /** Micrometer's JVM and process meters the operator needs (issue 10 item 2). */
  private static final Set<String> JVM_AND_PROCESS =
      Set.of(
          "jvm_memory_used_bytes",
          "jvm_memory_max_bytes",
          "jvm_gc_memory_allocated_bytes_total",
          "jvm_threads_live_threads",
          "jvm_classes_loaded_classes",
          "process_cpu_usage",
          "process_uptime_seconds",
          "process_start_time_seconds",
          "process_files_open_files",
          "system_cpu_count");

  private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private EchoServer echo;
  private GatewayHarness gw;
  private String scrapeAt10;

  @BeforeAll
  void start() throws Exception {
    echo = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "echo");
    gw = new GatewayHarness(routes(1, 10, 0));
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

  /**
   * {@code hosts} virtual hosts with {@code paths} exact paths over {@link #SERVICES} services;
   * path {@code i} goes to service {@code (i + shift) % SERVICES}.
   */
  private String routes(int hosts, int paths, int shift) {
    return RouteYaml.many(SERVICES, echo.port(), hosts, paths, shift);
  }

  @Test
  @Order(1)
  void atTenRoutes_everyAgreedNameAndTheJvmBasicsAreScraped_andNoLabelNamesARoute()
      throws Exception {
    awaitServed("h0.test", "/p9", "echo");
    // The JVM's metrics start after the initial config: one edit (every path to the next
    // service) so the push histogram has a cause, as on any gateway that ever changed.
    long acks = acks();
    gw.writeRoutes(routes(1, 10, 1));
    GatewayHarness.await(
        "Envoy ACKs the edited routes", Duration.ofSeconds(30), () -> acks() > acks);
    for (int i = 0; i < 10; i++) {
      assertThat(RawHttp.get(gw.httpPort, "h0.test", "/p" + i).status()).isEqualTo(200);
    }
    scrapeAt10 = scrapeJvm();
    Set<String> names = names(scrapeAt10);
    assertThat(names).containsAll(MetricNames.GANGWAY).containsAll(JVM_AND_PROCESS);
    assertThat(scrapeAt10)
        .as("the registry and type labels of each static registry")
        .contains("gangway_registry_up{registry=\"static/s1\",type=\"static\"} 1.0")
        .contains("gangway_registry_errors_total{registry=\"static/s1\",type=\"static\"} 0.0")
        .contains("gangway_service_endpoints{registry=\"static/s1\",service=\"s1.static\"} 1.0")
        .contains("gangway_xds_envoys_connected 1.0");
    assertNoLabelNamesARoute(scrapeAt10, 10);
  }

  @Test
  @Order(2)
  void everyGangwayNameOfTheDashboardAndTheAlertRules_isInTheLiveScrape() throws Exception {
    assertThat(scrapeAt10).as("the 10-route scrape (previous test)").isNotNull();
    Set<String> live = names(scrapeAt10);
    List<String> exprs = new ArrayList<>(MetricNames.dashboardExprs());
    exprs.addAll(MetricNames.ruleExprs());
    Set<String> referenced = new TreeSet<>();
    for (String expr : exprs) {
      for (String name : MetricNames.referencedBy(expr)) {
        if (name.startsWith("gangway_")) {
          referenced.add(name);
          // A histogram is queried through its _bucket, _count or _sum series, which are the
          // sample names of the scrape, so the name is looked up as written.
          assertThat(live).as("%s of %s, in the live JVM scrape", name, expr).contains(name);
        }
      }
    }
    System.out.printf("[metrics] gangway names the dashboard and rules query: %s%n", referenced);
    assertThat(referenced)
        .as("the dashboard and rules query the control plane")
        .contains(
            "gangway_xds_nacks_total",
            "gangway_registry_up",
            "gangway_registry_errors_total",
            "gangway_push_seconds_bucket");
  }

  @Test
  @Order(3)
  void tenThousandRoutesInAHundredVirtualHosts_addNoSeries_andNoLabelNamesARoute()
      throws Exception {
    assertThat(scrapeAt10).as("the 10-route scrape (first test)").isNotNull();
    long acks = acks();
    gw.writeRoutes(routes(100, 10_000, 0));
    GatewayHarness.await(
        "Envoy serves the last of the 10,000 paths",
        Duration.ofSeconds(120),
        () -> status("h99.test", "/p9999") == 200);
    GatewayHarness.await(
        "Envoy ACKs the 10,000 routes", Duration.ofSeconds(30), () -> acks() > acks);
    String scrape = scrapeJvm();
    assertThat(names(scrape)).containsAll(MetricNames.GANGWAY).containsAll(JVM_AND_PROCESS);
    int at10 = series(scrapeAt10);
    int at10k = series(scrape);
    System.out.printf("[metrics] jvm series at 10 routes: %d, at 10,000: %d%n", at10, at10k);
    System.out.printf(
        "[metrics] gangway_* series at 10 routes: %d, at 10,000: %d; bytes per scrape: %d, %d%n",
        gangwaySeries(scrapeAt10).size(),
        gangwaySeries(scrape).size(),
        scrapeAt10.length(),
        scrape.length());
    Set<String> added = new TreeSet<>(withoutValues(samples(scrape)));
    added.removeAll(withoutValues(samples(scrapeAt10)));
    System.out.printf("[metrics] series only at 10,000 routes: %s%n", added);
    assertThat(at10k).as("series at 10,000 routes vs at 10").isLessThanOrEqualTo(at10 + SLACK);
    assertThat(withoutValues(gangwaySeries(scrape)))
        .as("the same gangway_* series (labels included), bar the push causes seen")
        .isEqualTo(withoutValues(gangwaySeries(scrapeAt10)));
    assertThat(scrape).contains("gangway_config_documents{state=\"applied\"} 1.0");
    assertNoLabelNamesARoute(scrape, 10_000);
  }

  /**
   * Asserts that no label value of {@code scrape} is, or contains, a route name, a path or a
   * virtual host of the routes the JVM serves ({@code GET /routes}, {@code expected} of them).
   */
  private void assertNoLabelNamesARoute(String scrape, int expected) throws IOException {
    JsonNode routes = new ObjectMapper().readTree(get("/routes"));
    assertThat(routes.path("count").asInt()).isEqualTo(expected);
    Set<String> words = new HashSet<>();
    for (JsonNode r : routes.path("routes")) {
      words.add(r.path("name").asText());
      words.add(r.path("match").path("path").asText());
      words.add(r.path("host").asText());
    }
    words.remove("");
    assertThat(words).as("the check is armed").contains("/p0", "h0.test");
    Set<String> values = new TreeSet<>();
    scrape
        .lines()
        .filter(l -> !l.isBlank() && !l.startsWith("#"))
        .forEach(
            l -> {
              Matcher m = LABEL.matcher(l.substring(0, l.lastIndexOf(' ')));
              while (m.find()) {
                values.add(m.group(2));
              }
            });
    assertThat(values).as("label values").isNotEmpty();
    for (String v : values) {
      for (String w : words) {
        assertThat(v).as("label value %s names route/path/host %s", v, w).doesNotContain(w);
      }
    }
  }

  private static List<String> samples(String scrape) {
    return scrape.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
  }

  /** The sample lines of {@code gangway_*} series other than the push histogram's, sorted. */
  private static List<String> gangwaySeries(String scrape) {
    return scrape
        .lines()
        .filter(l -> l.startsWith("gangway_") && !l.startsWith("gangway_push_seconds"))
        .sorted()
        .toList();
  }

  private static List<String> withoutValues(List<String> lines) {
    return lines.stream().map(l -> l.substring(0, l.lastIndexOf(' '))).toList();
  }

  /** {@code gangway_xds_acks_total{type="routes"}} of the live scrape. */
  private long acks() {
    return scrapeJvm()
        .lines()
        .filter(l -> l.startsWith("gangway_xds_acks_total{type=\"routes\"} "))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .findFirst()
        .orElse(-1);
  }

  private void awaitServed(String host, String path, String backend) throws Exception {
    GatewayHarness.await(
        "Envoy serves " + host + path, Duration.ofSeconds(30), () -> status(host, path) == 200);
    assertThat(RawHttp.get(gw.httpPort, host, path).backend()).isEqualTo(backend);
  }

  private int status(String host, String path) {
    try {
      return RawHttp.get(gw.httpPort, host, path).status();
    } catch (IOException e) {
      return -1;
    }
  }

  private String scrapeJvm() {
    return get("/metrics");
  }

  private String get(String path) {
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gw.adminPort + path))
                  .timeout(Duration.ofSeconds(30))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static int series(String scrape) {
    return EnvoyStatsEndToEndIT.series(scrape);
  }

  private static Set<String> names(String scrape) {
    return EnvoyStatsEndToEndIT.names(scrape);
  }
}
