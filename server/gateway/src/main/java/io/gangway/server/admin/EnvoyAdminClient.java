package io.gangway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * {@code EnvoyAdminClient} reads Envoy's own view of its clusters ({@code GET
 * /clusters?format=json} on the Envoy admin address, loopback): per host, its health flags, weight
 * and success rate. Each call is bounded by a timeout of at most 1 s, so an Envoy that does not
 * answer never holds up the admin API.
 */
public final class EnvoyAdminClient {

  /**
   * The health flags of Envoy's {@code HostHealthStatus} that take a host out of load balancing.
   */
  static final List<String> FAILURE_FLAGS =
      List.of(
          "failed_active_health_check",
          "failed_outlier_check",
          "failed_active_degraded_check",
          "pending_dynamic_removal",
          "pending_active_hc",
          "excluded_via_immediate_hc_fail",
          "active_hc_timeout");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration MAX_TIMEOUT = Duration.ofSeconds(1);

  /**
   * {@code Host} is one endpoint as Envoy sees it.
   *
   * @param address the IP or host name
   * @param port the port
   * @param weight Envoy's load-balancing weight
   * @param healthy whether no failure flag is set and the EDS status is healthy (or unknown)
   * @param edsHealthStatus the health the control plane gave ({@code HEALTHY}, {@code UNKNOWN}…)
   * @param failures the failure flags Envoy set ({@code failed_active_health_check}, {@code
   *     failed_outlier_check}…)
   * @param successRate the external-origin success rate (outlier detection), when Envoy computed
   *     one
   */
  public record Host(
      String address,
      int port,
      int weight,
      boolean healthy,
      String edsHealthStatus,
      List<String> failures,
      @Nullable Double successRate) {

    /** Copies the list. */
    public Host {
      failures = List.copyOf(failures);
    }
  }

  private final URI uri;
  private final Duration timeout;
  private final HttpClient client;

  /** Creates a client for the Envoy admin at {@code address:port}, with a 1 s timeout. */
  public EnvoyAdminClient(String address, int port) {
    this(address, port, MAX_TIMEOUT);
  }

  /** Like the other constructor, with {@code timeout} (capped at 1 s). */
  public EnvoyAdminClient(String address, int port, Duration timeout) {
    String host = address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
    this.uri = URI.create("http://" + host + ":" + port + "/clusters?format=json");
    this.timeout = timeout.compareTo(MAX_TIMEOUT) > 0 ? MAX_TIMEOUT : timeout;
    this.client = HttpClient.newBuilder().connectTimeout(this.timeout).build();
  }

  /**
   * Returns Envoy's hosts by cluster name.
   *
   * @throws IOException when Envoy does not answer in time, answers other than 200, or not JSON
   */
  public Map<String, List<Host>> clusters() throws IOException {
    HttpResponse<String> response;
    try {
      response =
          client.send(
              HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
    if (response.statusCode() != 200) {
      throw new IOException(uri + " answered " + response.statusCode());
    }
    return parse(JSON.readTree(response.body()));
  }

  /** Parses Envoy's {@code /clusters?format=json} answer. */
  static Map<String, List<Host>> parse(JsonNode root) {
    Map<String, List<Host>> out = new TreeMap<>();
    for (JsonNode cluster : root.path("cluster_statuses")) {
      List<Host> hosts = new ArrayList<>();
      for (JsonNode h : cluster.path("host_statuses")) {
        JsonNode socket = h.path("address").path("socket_address");
        JsonNode health = h.path("health_status");
        List<String> failures = new ArrayList<>();
        for (String flag : FAILURE_FLAGS) {
          if (health.path(flag).asBoolean(false)) {
            failures.add(flag);
          }
        }
        String eds = health.path("eds_health_status").asText("UNKNOWN");
        boolean edsOk = eds.equals("HEALTHY") || eds.equals("UNKNOWN");
        JsonNode rate = h.path("success_rate").path("value");
        hosts.add(
            new Host(
                socket.path("address").asText(""),
                socket.path("port_value").asInt(0),
                h.path("weight").asInt(1),
                edsOk && failures.isEmpty(),
                eds,
                failures,
                rate.isNumber() ? rate.asDouble() : null));
      }
      out.put(cluster.path("name").asText(), hosts);
    }
    return out;
  }

  /** Returns the JSON of {@code host} for the admin API. */
  static Map<String, Object> json(Host host) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("healthy", host.healthy());
    m.put("edsHealthStatus", host.edsHealthStatus());
    m.put("failures", host.failures());
    m.put("ejected", host.failures().contains("failed_outlier_check"));
    m.put("weight", host.weight());
    m.put("successRate", host.successRate());
    return m;
  }

  @Override
  public String toString() {
    return uri.toString();
  }
}
