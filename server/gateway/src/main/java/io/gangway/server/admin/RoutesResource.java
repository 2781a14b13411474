package io.gangway.server.admin;

import io.gangway.model.ClusterSpec;
import io.gangway.model.Destination;
import io.gangway.model.GatewayModel;
import io.gangway.model.NamedMatch;
import io.gangway.model.Route;
import io.gangway.model.RouteAction;
import io.gangway.model.RouteMatch;
import io.gangway.model.VirtualHost;
import io.gangway.model.policy.Policy;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code RoutesResource} serves {@code GET /routes}: every route of the live model, in evaluation
 * order per host, with its match, policies, destinations and the document and line it comes from.
 * {@code ?host=} keeps one host; {@code ?q=} keeps routes whose host, name, match, destination or
 * source contains the text (case-insensitive). 503 before the first configuration.
 */
public final class RoutesResource implements AdminResource {

  private final Supplier<@Nullable GatewayModel> model;

  /** Creates the resource over {@code model} (e.g. {@code pipeline::model}). */
  public RoutesResource(Supplier<@Nullable GatewayModel> model) {
    this.model = model;
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get("/routes", this::routes);
  }

  private void routes(Context ctx) throws Exception {
    GatewayModel m = model.get();
    if (m == null) {
      AdminJson.error(ctx, 503, "no configuration applied yet");
      return;
    }
    String host = ctx.queryParam("host");
    String q = ctx.queryParam("q");
    Map<String, ClusterSpec> clusters = new LinkedHashMap<>();
    m.clusters().forEach(c -> clusters.put(c.name(), c));
    List<Map<String, Object>> out = new ArrayList<>();
    for (VirtualHost vh : m.virtualHosts()) {
      if (host != null && !host.isEmpty() && !vh.host().equalsIgnoreCase(host)) {
        continue;
      }
      for (Route r : vh.routes()) {
        Map<String, Object> json = route(vh, r, clusters::get);
        if (q == null || q.isEmpty() || matches(vh, r, q)) {
          out.add(json);
        }
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("count", out.size());
    body.put("routes", out);
    AdminJson.reply(ctx, 200, body);
  }

  private static boolean matches(VirtualHost vh, Route r, String q) {
    StringBuilder text =
        new StringBuilder()
            .append(vh.host())
            .append('\n')
            .append(r.name())
            .append('\n')
            .append(r.match())
            .append('\n')
            .append(r.source())
            .append('\n');
    if (r.action() instanceof RouteAction.Forward f) {
      f.destinations().forEach(d -> text.append(d.cluster()).append('\n'));
    }
    return text.toString().toLowerCase(Locale.ROOT).contains(q.toLowerCase(Locale.ROOT));
  }

  static Map<String, Object> route(
      VirtualHost vh, Route r, Function<String, @Nullable ClusterSpec> clusters) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("host", vh.host());
    json.put("name", r.name());
    json.put("match", match(r.match()));
    List<String> policies = new ArrayList<>();
    for (Policy p : r.policies().all()) {
      policies.add(p.toString());
    }
    json.put("policies", policies);
    List<Map<String, Object>> destinations = new ArrayList<>();
    if (r.action() instanceof RouteAction.Forward f) {
      json.put("action", "forward");
      for (Destination d : f.destinations()) {
        Map<String, Object> dj = new LinkedHashMap<>();
        dj.put("cluster", d.cluster());
        dj.put("weight", d.weight());
        ClusterSpec c = clusters.apply(d.cluster());
        dj.put("serviceHost", c == null ? null : c.serviceHost());
        dj.put("port", c == null ? null : c.port());
        destinations.add(dj);
      }
    } else if (r.action() instanceof RouteAction.DirectResponse direct) {
      json.put("action", "direct");
      json.put("status", direct.status());
      json.put("body", direct.body());
    }
    json.put("destinations", destinations);
    json.put("source", r.source().toString());
    json.put("line", r.line() > 0 ? r.line() : null);
    return json;
  }

  private static Map<String, Object> match(RouteMatch m) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("summary", m.toString());
    json.put("pathKind", m.path().kind().name().toLowerCase(Locale.ROOT));
    json.put("path", m.path().value());
    json.put("ignoreCase", m.ignoreCase());
    json.put("headers", named(m.headers()));
    json.put("query", named(m.queryParameters()));
    json.put("methods", m.methods());
    return json;
  }

  private static List<Map<String, String>> named(List<NamedMatch> matches) {
    List<Map<String, String>> out = new ArrayList<>();
    for (NamedMatch n : matches) {
      Map<String, String> json = new LinkedHashMap<>();
      json.put("name", n.name());
      json.put("kind", n.match().kind().name().toLowerCase(Locale.ROOT));
      json.put("value", n.match().value());
      out.add(json);
    }
    return out;
  }
}
