package io.gangway.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code MetricNames} lists the metric names the Grafana dashboard and the Prometheus rules may
 * use: Envoy's as its stats listener renders them with Gangway's bootstrap (checked live by {@link
 * EnvoyStatsEndToEndIT}), and the agreed {@code gangway_*} names of the JVM's {@code /metrics}.
 */
final class MetricNames {

  /** Envoy series names the dashboard and alerts use; each must exist in a live scrape. */
  static final Set<String> ENVOY =
      Set.of(
          "envoy_http_downstream_rq_total",
          "envoy_http_downstream_rq_xx",
          "envoy_http_downstream_rq_time_bucket",
          "envoy_cluster_upstream_rq_total",
          "envoy_cluster_upstream_rq_xx",
          "envoy_cluster_upstream_rq_time_bucket",
          "envoy_cluster_upstream_rq_timeout",
          "envoy_cluster_upstream_cx_connect_fail",
          "envoy_cluster_membership_healthy",
          "envoy_cluster_membership_total",
          "envoy_cluster_outlier_detection_ejections_active",
          "envoy_cluster_manager_cds_update_rejected",
          "envoy_listener_manager_lds_update_rejected",
          "envoy_http_rds_update_rejected",
          "envoy_control_plane_connected_state",
          "envoy_server_uptime",
          "envoy_server_live");

  /** The agreed names of the JVM's metrics (Prometheus names as Micrometer renders them). */
  static final Set<String> GANGWAY =
      Set.of(
          "gangway_xds_responses_total",
          "gangway_xds_resources_sent_total",
          "gangway_xds_acks_total",
          "gangway_xds_nacks_total",
          "gangway_xds_envoys_connected",
          "gangway_xds_envoys_out_of_sync",
          "gangway_translation_seconds_bucket",
          "gangway_push_seconds_bucket",
          "gangway_config_applied_timestamp_seconds",
          "gangway_config_applies_total",
          "gangway_config_documents",
          "gangway_config_diagnostics",
          "gangway_registry_up",
          "gangway_registry_stale",
          "gangway_registry_endpoints",
          "gangway_registry_errors_total",
          "gangway_service_endpoints");

  /** Prometheus' own per-target series. */
  static final Set<String> PROMETHEUS = Set.of("up");

  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

  /**
   * PromQL words that are not metric names: functions, aggregations, keywords, and the label names
   * and {@code label_replace} arguments the expressions use.
   */
  private static final Set<String> PROMQL_WORDS =
      Set.of(
          "sum",
          "rate",
          "irate",
          "increase",
          "by",
          "without",
          "histogram_quantile",
          "max",
          "min",
          "avg",
          "count",
          "and",
          "or",
          "unless",
          "on",
          "ignoring",
          "group_left",
          "resets",
          "changes",
          "label_replace",
          "clamp_min",
          "bool",
          "offset",
          "time",
          "vector",
          "absent",
          "delta",
          "le",
          "type",
          "registry",
          "service",
          "severity",
          "state",
          "instance",
          "job",
          "envoy_cluster_name",
          "envoy_response_code_class",
          "envoy_http_conn_manager_prefix",
          "topk",
          "s",
          "m",
          "h",
          "d",
          "inf",
          "x");

  private MetricNames() {}

  /** Returns every {@code expr} of {@code packaging/grafana/gangway.json} (the panels' targets). */
  static List<String> dashboardExprs() throws IOException {
    Path file = Envoys.repoRoot().resolve("packaging/grafana/gangway.json");
    List<String> out = new ArrayList<>();
    new ObjectMapper().readTree(file.toFile()).findValues("expr").forEach(e -> out.add(e.asText()));
    return out;
  }

  /** Returns every rule's {@code expr} of {@code packaging/prometheus/gangway-rules.yml}. */
  static List<String> ruleExprs() throws IOException {
    Path file = Envoys.repoRoot().resolve("packaging/prometheus/gangway-rules.yml");
    List<String> out = new ArrayList<>();
    for (JsonNode group :
        new ObjectMapper(new YAMLFactory()).readTree(file.toFile()).path("groups")) {
      for (JsonNode rule : group.path("rules")) {
        out.add(rule.path("expr").asText());
      }
    }
    return out;
  }

  /**
   * Returns the metric names an expression references: identifiers outside strings, label matchers
   * ({@code {…}}) and range selectors ({@code […]}) that are not PromQL words.
   */
  static Set<String> referencedBy(String expr) {
    String bare =
        expr.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
            .replaceAll("\\{[^}]*}", "")
            .replaceAll("\\[[^]]*]", "")
            .replaceAll("\\b\\d+(?:\\.\\d+)?(?:e\\d+)?\\b", "");
    Set<String> out = new TreeSet<>();
    Matcher m = IDENTIFIER.matcher(bare);
    while (m.find()) {
      if (!PROMQL_WORDS.contains(m.group())) {
        out.add(m.group());
      }
    }
    return out;
  }
}
