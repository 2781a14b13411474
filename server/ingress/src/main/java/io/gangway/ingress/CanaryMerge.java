package io.gangway.ingress;

import io.gangway.ingress.annotation.IngressPolicies;
import io.gangway.ingress.resource.BackendRef;
import io.gangway.ingress.resource.IngressPath;
import io.gangway.ingress.resource.IngressResource;
import io.gangway.ingress.resource.IngressRule;
import io.gangway.ingress.yaml.Diagnostics;
import io.gangway.model.Destination;
import io.gangway.model.NamedMatch;
import io.gangway.model.PathMatch;
import io.gangway.model.Route;
import io.gangway.model.RouteAction;
import io.gangway.model.RouteMatch;
import io.gangway.model.policy.Canary;
import io.gangway.spi.route.SourceRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code CanaryMerge} merges canary Ingresses (those with a {@link Canary} policy) into the routes
 * of the main Ingresses, as Higress's {@code ApplyCanaryIngress}, after the normal rules are
 * placed. Each canary path attaches to the main route with the same rule key (host, path and match
 * annotations); a path without one is ignored with a warning (Higress ignores it silently).
 *
 * <ul>
 *   <li>A header or cookie canary becomes a new route right in front of the main route: the main
 *       route's match with its header conditions replaced by the canary's (method and query kept),
 *       its policies, and the canary Ingress's destinations. Several header canaries on one route
 *       keep the age order of their Ingresses; two on the same header get a warning naming the one
 *       that wins.
 *   <li>Weight canaries add their destination to the main route: the main route's destinations
 *       after the first and the canaries keep {@code int(w / max(sum, total) * 100)}, where {@code
 *       total} is the first canary's {@code canary-weight-total}; the first destination gets the
 *       rest.
 * </ul>
 *
 * <p>Not thread-safe; one per translation.
 */
final class CanaryMerge {

  /** Builds the action of a canary path, creating its clusters (the translator's own logic). */
  interface Actions {
    RouteAction action(IngressResource ingress, BackendRef backend, Diagnostics d);
  }

  /** One canary path, by the rule key it attaches to. */
  private record Path(
      IngressResource ingress,
      Canary canary,
      IngressRule rule,
      IngressPath path,
      RouteMatch match) {}

  private final java.util.IdentityHashMap<IngressResource, Canary> canaries =
      new java.util.IdentityHashMap<>();

  /** Canary paths by rule key ({@code host match}), in the age order of their Ingresses. */
  private final Map<String, List<Path>> byKey = new LinkedHashMap<>();

  private final Set<Path> attached = new LinkedHashSet<>();
  private final Actions actions;
  private final Map<SourceRef, Diagnostics> extra;

  private final Map<IngressResource, IngressPolicies> policies;

  /**
   * Indexes the canary Ingresses among {@code ingresses} (sorted by age).
   *
   * @param policies what the annotation families made of each Ingress
   * @param actions builds a canary path's action when it attaches
   * @param extra where diagnostics go, by document
   */
  CanaryMerge(
      List<IngressResource> ingresses,
      Map<IngressResource, IngressPolicies> policies,
      Actions actions,
      Map<SourceRef, Diagnostics> extra) {
    this.actions = actions;
    this.extra = extra;
    this.policies = policies;
    for (IngressResource ing : ingresses) {
      IngressPolicies p = policies.getOrDefault(ing, IngressPolicies.none());
      java.util.Optional<Canary> found = p.route().get(Canary.class);
      if (found.isEmpty()) {
        continue;
      }
      Canary canary = found.get();
      canaries.put(ing, canary);
      BackendRef defaultBackend = ing.defaultBackend();
      if (defaultBackend != null) {
        diagnostics(ing)
            .warn(
                defaultBackend.at(),
                "defaultBackend of canary Ingress "
                    + ing.id()
                    + " is ignored: a canary applies only to the paths of its rules");
      }
      Set<String> own = new LinkedHashSet<>();
      for (IngressRule rule : ing.rules()) {
        for (IngressPath path : rule.paths()) {
          RouteMatch match =
              p.match()
                  .apply(
                      RouteMatch.of(
                          path.type() == IngressPath.PathType.EXACT
                              ? PathMatch.exact(path.path())
                              : PathMatch.prefix(path.path())));
          String key = rule.host() + " " + match;
          if (!own.add(key)) {
            diagnostics(ing)
                .warn(
                    path.at(),
                    "DuplicatedRoute: host "
                        + rule.host()
                        + " "
                        + match
                        + " is already defined earlier in this canary Ingress; this one is ignored");
            continue;
          }
          byKey
              .computeIfAbsent(key, k -> new ArrayList<>())
              .add(new Path(ing, canary, rule, path, match));
        }
      }
    }
  }

  /**
   * Returns whether {@code ing} is a canary Ingress (its rules are not placed as normal routes).
   */
  boolean isCanary(IngressResource ing) {
    return canaries.containsKey(ing);
  }

  /**
   * Returns the routes of {@code host}, in order, with the canaries that attach to them merged in.
   */
  List<Route> merge(String host, List<RouteOrder.Candidate> ordered) {
    List<Route> out = new ArrayList<>();
    for (RouteOrder.Candidate c : ordered) {
      Route main = c.route();
      List<Path> paths =
          c.defaultBackend() || byKey.isEmpty()
              ? List.of()
              : byKey.getOrDefault(host + " " + main.match(), List.of());
      if (paths.isEmpty()) {
        out.add(main);
        continue;
      }
      Map<String, Path> byHeader = new HashMap<>();
      List<Path> weighted = new ArrayList<>();
      for (Path p : paths) {
        attached.add(p);
        NamedMatch m = p.canary().match().orElse(null);
        if (m == null) {
          weighted.add(p);
          continue;
        }
        Path older = byHeader.putIfAbsent(m.name(), p);
        if (older != null) {
          diagnostics(p.ingress())
              .warn(
                  p.path().at(),
                  "canary Ingress "
                      + p.ingress().id()
                      + " and the older canary"
                      + " Ingress "
                      + older.ingress().id()
                      + " both select by header "
                      + m.name()
                      + " on host "
                      + host
                      + " "
                      + main.match()
                      + "; where both match, "
                      + older.ingress().id()
                      + " wins (its route comes first)");
        }
        RouteAction action =
            actions.action(p.ingress(), p.path().backend(), diagnostics(p.ingress()));
        out.add(
            new Route(
                name(p),
                main.match().replacingHeaders(List.of(m)),
                action,
                p.ingress().source(),
                headerControlOf(p.ingress(), main.policies().with(p.canary())),
                p.path().at().line()));
      }
      out.add(weighted.isEmpty() ? main : weigh(host, main, weighted));
    }
    return out;
  }

  /** Warns about each canary path that found no main route; call after every host is merged. */
  void reportUnattached() {
    for (List<Path> paths : byKey.values()) {
      for (Path p : paths) {
        if (!attached.contains(p)) {
          diagnostics(p.ingress())
              .warn(
                  p.path().at(),
                  "canary path ignored: no main (non-canary) Ingress has a"
                      + " route for host "
                      + p.rule().host()
                      + " "
                      + p.match()
                      + " (the same host, path and match"
                      + " annotations); Higress ignores it silently");
        }
      }
    }
  }

  private Route weigh(String host, Route main, List<Path> weighted) {
    if (!(main.action() instanceof RouteAction.Forward forward)) {
      for (Path p : weighted) {
        diagnostics(p.ingress())
            .warn(
                p.path().at(),
                "weight canary ignored: the main route of host "
                    + host
                    + " "
                    + main.match()
                    + " has no backend to share traffic with (it answers directly)");
      }
      return main;
    }
    List<Destination> ds = new ArrayList<>(forward.destinations());
    List<Integer> raw = new ArrayList<>(ds.stream().map(Destination::weight).toList());
    int total = weighted.get(0).canary().weightTotal();
    for (Path p : weighted) {
      Diagnostics d = diagnostics(p.ingress());
      if (p.canary().weightTotal() != total) {
        d.warn(
            p.path().at(),
            "canary-weight-total "
                + p.canary().weightTotal()
                + " of canary Ingress "
                + p.ingress().id()
                + " is ignored: the first canary's ("
                + weighted.get(0).ingress().id()
                + ", "
                + total
                + ") applies to the route, as in Higress");
      }
      RouteAction action = actions.action(p.ingress(), p.path().backend(), d);
      if (!(action instanceof RouteAction.Forward f)) {
        d.warn(
            p.path().at(),
            "weight canary ignored: its backend cannot be resolved, so its share stays with"
                + " the main route");
        continue;
      }
      if (f.destinations().size() > 1) {
        d.warn(
            p.path().at(),
            "weight canary: only its first destination "
                + f.destinations().get(0).cluster()
                + " is used (as in Higress)");
      }
      ds.add(f.destinations().get(0));
      raw.add(p.canary().weight());
    }
    int others = 0;
    for (int i = 1; i < raw.size(); i++) {
      others += raw.get(i);
    }
    float divisor = Math.max(others, total);
    int sum = 0;
    Map<String, Integer> byCluster = new LinkedHashMap<>();
    byCluster.put(ds.get(0).cluster(), 0);
    for (int i = 1; i < ds.size(); i++) {
      int w = (int) ((float) raw.get(i) / divisor * 100f);
      sum += w;
      byCluster.merge(ds.get(i).cluster(), w, Integer::sum);
    }
    if (others > total) {
      diagnostics(weighted.get(0).ingress())
          .warn(
              weighted.get(0).path().at(),
              "the canary weights on host "
                  + host
                  + " "
                  + main.match()
                  + " add up to more than canary-weight-total "
                  + total
                  + "; they are normalised to their sum");
    }
    byCluster.merge(ds.get(0).cluster(), Math.max(0, 100 - sum), Integer::sum);
    List<Destination> out = new ArrayList<>();
    byCluster.forEach((cluster, w) -> out.add(new Destination(cluster, w)));
    return new Route(
        main.name(),
        main.match(),
        out.size() == 1 ? forward : new RouteAction.Forward(out),
        main.source(),
        main.policies(),
        main.line());
  }

  private static String name(Path p) {
    return p.ingress().id()
        + "/"
        + p.rule().host()
        + "/"
        + p.path().type().name().toLowerCase(java.util.Locale.ROOT)
        + ":"
        + p.path().path();
  }

  private Diagnostics diagnostics(IngressResource ing) {
    return extra.computeIfAbsent(ing.source(), Diagnostics::new);
  }

  /**
   * Returns {@code inherited} with the canary Ingress's own header control instead of the main
   * route's, as Higress does for a header canary: the canary route copies everything else of the
   * main route.
   */
  private io.gangway.model.policy.Policies headerControlOf(
      IngressResource canary, io.gangway.model.policy.Policies inherited) {
    io.gangway.model.policy.Policies without =
        inherited.without(io.gangway.model.policy.HeaderControl.class);
    return policies
        .getOrDefault(canary, IngressPolicies.none())
        .route()
        .get(io.gangway.model.policy.HeaderControl.class)
        .map(without::with)
        .orElse(without);
  }
}
