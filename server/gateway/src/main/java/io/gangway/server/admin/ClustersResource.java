package io.gangway.server.admin;

import io.gangway.model.ClusterSpec;
import io.gangway.model.GatewayModel;
import io.gangway.server.registry.RegistryManager;
import io.gangway.spi.registry.Endpoint;
import io.gangway.spi.registry.EndpointSet;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code ClustersResource} serves {@code GET /clusters} (each cluster of the live model: service
 * host, registry of origin, endpoint count, and how many Envoy counts healthy) and {@code GET
 * /clusters/{name}} (its endpoints, joined with Envoy's view of each: health flags, weight, success
 * rate). When Envoy's admin does not answer, the control plane's view is served with {@code
 * "envoy": "unavailable: <reason>"}; an unknown cluster is a 404.
 */
public final class ClustersResource implements AdminResource {

  private final Supplier<@Nullable GatewayModel> model;
  private final RegistryManager registries;
  private final EnvoyAdminClient envoy;

  /**
   * Creates the resource.
   *
   * @param model the live model (e.g. {@code pipeline::model})
   * @param registries where endpoints and their registry of origin come from
   * @param envoy Envoy's admin, for its view of health
   */
  public ClustersResource(
      Supplier<@Nullable GatewayModel> model, RegistryManager registries, EnvoyAdminClient envoy) {
    this.model = model;
    this.registries = registries;
    this.envoy = envoy;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get("/clusters", this::list);
    routes.get("/clusters/{name}", this::one);
  }

  /** Envoy's hosts by cluster, or the reason Envoy could not be asked. */
  private record EnvoyView(
      @Nullable Map<String, List<EnvoyAdminClient.Host>> clusters, String state) {}

  private EnvoyView askEnvoy() {
    try {
      return new EnvoyView(envoy.clusters(), "ok");
    } catch (IOException | RuntimeException e) {
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new EnvoyView(null, "unavailable: " + reason + " (" + envoy + ")");
    }
  }

  private void list(Context ctx) throws Exception {
    GatewayModel m = model.get();
    if (m == null) {
      AdminJson.error(ctx, 503, "no configuration applied yet");
      return;
    }
    Map<String, EndpointSet> endpoints = registries.endpoints();
    Map<String, String> origins = registries.origins();
    EnvoyView view = askEnvoy();
    List<Map<String, Object>> out = new ArrayList<>();
    for (ClusterSpec c : m.clusters()) {
      Map<String, Object> json = head(c, origins);
      EndpointSet set = endpoints.get(c.serviceHost());
      json.put("endpoints", set == null ? 0 : set.endpoints().size());
      List<EnvoyAdminClient.Host> hosts =
          view.clusters() == null ? null : view.clusters().get(c.name());
      json.put("envoyEndpoints", hosts == null ? null : hosts.size());
      json.put(
          "healthy",
          hosts == null
              ? null
              : (int) hosts.stream().filter(EnvoyAdminClient.Host::healthy).count());
      out.add(json);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("envoy", view.state());
    body.put("count", out.size());
    body.put("clusters", out);
    AdminJson.reply(ctx, 200, body);
  }

  private void one(Context ctx) throws Exception {
    GatewayModel m = model.get();
    if (m == null) {
      AdminJson.error(ctx, 503, "no configuration applied yet");
      return;
    }
    String name = ctx.pathParam("name");
    ClusterSpec c =
        m.clusters().stream().filter(x -> x.name().equals(name)).findFirst().orElse(null);
    if (c == null) {
      AdminJson.error(ctx, 404, "no cluster " + name + " (see GET /clusters)");
      return;
    }
    Map<String, String> origins = registries.origins();
    EndpointSet set = registries.endpoints().get(c.serviceHost());
    EnvoyView view = askEnvoy();
    Map<String, EnvoyAdminClient.Host> seen = new LinkedHashMap<>();
    List<EnvoyAdminClient.Host> hosts =
        view.clusters() == null ? null : view.clusters().get(c.name());
    if (hosts != null) {
      hosts.forEach(h -> seen.put(h.address() + ":" + h.port(), h));
    }
    Set<String> listed = new LinkedHashSet<>();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Endpoint e : set == null ? List.<Endpoint>of() : set.endpoints()) {
      String key = e.address() + ":" + e.port();
      listed.add(key);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("address", e.address());
      json.put("port", e.port());
      json.put("weight", e.weight());
      json.put("metadata", e.sortedMetadata());
      json.put("registry", origins.get(c.serviceHost()));
      EnvoyAdminClient.Host h = seen.get(key);
      json.put("envoy", h == null ? null : EnvoyAdminClient.json(h));
      out.add(json);
    }
    // Hosts Envoy still has that the registries no longer list (an update not yet applied).
    for (Map.Entry<String, EnvoyAdminClient.Host> e : seen.entrySet()) {
      if (!listed.contains(e.getKey())) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("address", e.getValue().address());
        json.put("port", e.getValue().port());
        json.put("weight", null);
        json.put("metadata", Map.of());
        json.put("registry", null);
        json.put("envoy", EnvoyAdminClient.json(e.getValue()));
        out.add(json);
      }
    }
    Map<String, Object> body = head(c, origins);
    body.put("envoy", view.state());
    body.put("endpoints", out);
    AdminJson.reply(ctx, 200, body);
  }

  private static Map<String, Object> head(ClusterSpec c, Map<String, String> origins) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("name", c.name());
    json.put("serviceHost", c.serviceHost());
    json.put("port", c.port());
    json.put("protocol", c.protocol().name().toLowerCase(java.util.Locale.ROOT));
    json.put("registry", origins.get(c.serviceHost()));
    return json;
  }
}
