package io.gangway.ingress;

import io.gangway.model.Route;
import io.gangway.model.RouteMatch;
import io.gangway.model.VirtualHost;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code WildcardFallback} gives an exact host the routes of the most specific wildcard host that
 * matches it, after its own routes. Envoy picks exactly one virtual host per request, so without
 * this {@code www.foo.com/foo} would answer 404 when {@code www.foo.com} only declares {@code /bar}
 * and {@code *.foo.com} declares {@code /foo}; Higress serves it from the wildcard (its e2e {@code
 * HTTPRouteExactDomainFallback}), and so does Gangway. Routes the exact host already matches
 * identically are not copied. The "any host" table is not a fallback, as in Higress.
 */
final class WildcardFallback {

  private WildcardFallback() {}

  static List<VirtualHost> apply(List<VirtualHost> vhosts) {
    List<VirtualHost> wildcards = vhosts.stream().filter(v -> v.host().startsWith("*.")).toList();
    if (wildcards.isEmpty()) {
      return vhosts;
    }
    List<VirtualHost> out = new ArrayList<>();
    for (VirtualHost v : vhosts) {
      if (v.host().startsWith("*")) {
        out.add(v);
        continue;
      }
      Optional<VirtualHost> best =
          wildcards.stream()
              .filter(w -> v.host().endsWith(w.host().substring(1)))
              .max((a, b) -> Integer.compare(a.host().length(), b.host().length()));
      if (best.isEmpty()) {
        out.add(v);
        continue;
      }
      Set<RouteMatch> own = new HashSet<>();
      v.routes().forEach(r -> own.add(r.match()));
      List<Route> routes = new ArrayList<>(v.routes());
      best.get().routes().stream().filter(r -> !own.contains(r.match())).forEach(routes::add);
      out.add(v.withRoutes(routes));
    }
    return out;
  }
}
