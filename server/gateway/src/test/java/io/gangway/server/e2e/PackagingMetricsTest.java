package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboard and the Prometheus files under {@code packaging/} parse, and every
 * expression uses only the metric names of {@link MetricNames} (the Envoy ones verified live by
 * {@link EnvoyStatsEndToEndIT}).
 */
class PackagingMetricsTest {

  private static final Path PACKAGING = Envoys.repoRoot().resolve("packaging");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  @Test
  void dashboard_parses_andEveryExprUsesOnlyKnownMetricNames() throws IOException {
    JsonNode dashboard = JSON.readTree(PACKAGING.resolve("grafana/gangway.json").toFile());
    assertThat(dashboard.path("uid").asText()).isEqualTo("gangway");
    List<String> exprs = new ArrayList<>();
    dashboard.findValues("expr").forEach(e -> exprs.add(e.asText()));
    assertThat(exprs).hasSizeGreaterThan(20);
    assertOnlyKnownNames(exprs);
    assertThat(String.join("\n", exprs))
        .as("traffic, errors, latency by service, pushes, NACKs, registries")
        .contains("envoy_cluster_upstream_rq_total", "envoy_cluster_upstream_rq_xx")
        .contains("histogram_quantile(0.5,", "histogram_quantile(0.99,")
        .contains("envoy_cluster_upstream_rq_time_bucket", "by (service, le)")
        .contains("gangway_xds_responses_total", "gangway_xds_nacks_total", "gangway_registry_up");
  }

  @Test
  void alertRules_parse_andEveryExprUsesOnlyKnownMetricNames() throws IOException {
    JsonNode rules = YAML.readTree(PACKAGING.resolve("prometheus/gangway-rules.yml").toFile());
    List<String> exprs = new ArrayList<>();
    Set<String> alerts = new HashSet<>();
    for (JsonNode group : rules.path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        alerts.add(rule.path("alert").asText());
        assertThat(rule.path("annotations").path("summary").asText()).isNotEmpty();
        exprs.add(rule.path("expr").asText());
      }
    }
    assertThat(alerts)
        .contains(
            "GangwayXdsNack",
            "GangwayRegistryDown",
            "GangwayConfigRejected",
            "EnvoyRestarted",
            "Envoy5xxRatioHigh");
    assertOnlyKnownNames(exprs);
  }

  @Test
  void scrapeConfig_scrapesTheJvmAndEnvoysStatsListener_onTheirDefaultPorts() throws IOException {
    JsonNode prom = YAML.readTree(PACKAGING.resolve("prometheus/prometheus.yml").toFile());
    assertThat(prom.path("rule_files").get(0).asText()).isEqualTo("gangway-rules.yml");
    var jobs = new java.util.HashMap<String, JsonNode>();
    prom.path("scrape_configs").forEach(j -> jobs.put(j.path("job_name").asText(), j));
    assertThat(jobs.get("gangway").path("metrics_path").asText()).isEqualTo("/metrics");
    assertThat(jobs.get("gangway").findValue("targets").get(0).asText())
        .isEqualTo("127.0.0.1:15020");
    assertThat(jobs.get("envoy").path("metrics_path").asText()).isEqualTo("/stats/prometheus");
    assertThat(jobs.get("envoy").findValue("targets").get(0).asText()).isEqualTo("127.0.0.1:15090");
  }

  @Test
  void referencedBy_findsMetricNames_notFunctionsLabelsOrStrings() {
    assertThat(
            MetricNames.referencedBy(
                "histogram_quantile(0.99, sum by (service, le) (label_replace(rate("
                    + "envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name=~\"outbound\\\\|.+\"}"
                    + "[$__rate_interval]), \"service\", \"$1\", \"envoy_cluster_name\", \"(.+)\")))"
                    + " / ignoring(le) envoy_cluster_upstream_rq_5xx"))
        .containsExactly("envoy_cluster_upstream_rq_5xx", "envoy_cluster_upstream_rq_time_bucket");
  }

  private static void assertOnlyKnownNames(List<String> exprs) {
    Set<String> known = new HashSet<>(MetricNames.ENVOY);
    known.addAll(MetricNames.GANGWAY);
    known.addAll(MetricNames.PROMETHEUS);
    for (String expr : exprs) {
      assertThat(MetricNames.referencedBy(expr)).as("names in %s", expr).isSubsetOf(known);
      assertBalancedAndValidStrings(expr);
    }
  }

  /** A cheap PromQL syntax check: brackets balance, strings close, escapes are ones PromQL has. */
  private static void assertBalancedAndValidStrings(String expr) {
    StringBuilder open = new StringBuilder();
    for (int i = 0; i < expr.length(); i++) {
      char c = expr.charAt(i);
      if (c == '"') {
        int j = i + 1;
        for (; j < expr.length() && expr.charAt(j) != '"'; j++) {
          if (expr.charAt(j) == '\\') {
            assertThat("\\\"nrt")
                .as("escape in %s", expr)
                .contains(String.valueOf(expr.charAt(j + 1)));
            j++;
          }
        }
        assertThat(j).as("string closes in %s", expr).isLessThan(expr.length());
        i = j;
      } else if ("([{".indexOf(c) >= 0) {
        open.append(c);
      } else if (")]}".indexOf(c) >= 0) {
        assertThat(open).as("bracket balance in %s", expr).isNotEmpty();
        assertThat(open.charAt(open.length() - 1)).isEqualTo("([{".charAt(")]}".indexOf(c)));
        open.setLength(open.length() - 1);
      }
    }
    assertThat(open).as("unclosed brackets in %s", expr).isEmpty();
  }
}
