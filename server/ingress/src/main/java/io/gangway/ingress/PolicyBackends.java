package io.gangway.ingress;

import io.gangway.ingress.annotation.IngressPolicies;
import io.gangway.ingress.resource.IngressResource;
import io.gangway.ingress.yaml.Diagnostics;
import io.gangway.ingress.yaml.YNode;
import io.gangway.model.ClusterSpec;
import io.gangway.model.policy.BackendPolicy;
import io.gangway.model.policy.NamedBackend;
import io.gangway.model.policy.Policies;
import io.gangway.model.policy.Policy;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code PolicyBackends} resolves the backends that route policies name ({@link BackendPolicy}: a
 * fallback, a mirror target) as the route's own backends are resolved, and collects their clusters.
 * A policy with an unresolvable backend is left out of the Ingress's routes, with a warning at its
 * annotation; the routes themselves still apply. The one place such policies are handled, whatever
 * the family.
 */
final class PolicyBackends {

  private PolicyBackends() {}

  /**
   * Returns {@code policies} with each backend policy's backends bound to clusters, adding those
   * clusters to {@code clusters}.
   */
  static IngressPolicies resolve(
      IngressResource ing,
      IngressPolicies policies,
      Backends backends,
      Diagnostics d,
      List<ClusterSpec> clusters) {
    Policies route = policies.route();
    for (Policy p : policies.route().all()) {
      if (!(p instanceof BackendPolicy bp)) {
        continue;
      }
      List<NamedBackend> resolved = new ArrayList<>();
      for (NamedBackend b : bp.backends()) {
        Backends.Result r = backends.resolve(b.name(), b.port());
        if (!r.ok()) {
          YNode at = ing.at().get("metadata").get("annotations").get(b.key());
          d.warn(
              at,
              "unresolved backend in "
                  + b.key()
                  + ": "
                  + r.error()
                  + "; the routes apply without it");
          break;
        }
        ClusterSpec c = ClusterSpec.of(r.target().host(), r.target().port(), r.target().protocol());
        clusters.add(c);
        resolved.add(b.resolvedTo(c.name()));
      }
      route =
          resolved.size() == bp.backends().size()
              ? route.with(bp.withBackends(resolved))
              : route.without(bp.getClass());
    }
    return new IngressPolicies(route, policies.match(), policies.cluster(), policies.host());
  }
}
