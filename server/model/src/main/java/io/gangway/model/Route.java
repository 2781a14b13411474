package io.gangway.model;

import static java.util.Objects.requireNonNull;

import io.gangway.model.policy.Policies;
import io.gangway.spi.route.SourceRef;

/**
 * {@code Route} is one match → action rule of a virtual host.
 *
 * @param name a stable, unique name: {@code <namespace>/<ingress>/<rule>/<path>}; it appears in
 *     Envoy stats and access logs
 * @param match what the route matches: path, and optionally headers, query parameters and methods
 * @param action what to do with a matching request
 * @param source the document the route came from
 * @param policies the route's policies (redirects, CORS, timeouts…), one per family
 * @param line the line of the Ingress path (or defaultBackend) in {@code source} the route comes
 *     from, 0 when unknown; shown by the admin API, never part of the xDS output
 */
public record Route(
    String name,
    RouteMatch match,
    RouteAction action,
    SourceRef source,
    Policies policies,
    int line) {

  /** Validates all parts. */
  public Route {
    requireNonNull(name, "name");
    requireNonNull(match, "match");
    requireNonNull(action, "action");
    requireNonNull(source, "source");
    requireNonNull(policies, "policies");
  }

  /** Returns a route without a known source line. */
  public Route(
      String name, RouteMatch match, RouteAction action, SourceRef source, Policies policies) {
    this(name, match, action, source, policies, 0);
  }

  /** Returns a route on a path alone, without policies. */
  public Route(String name, PathMatch path, RouteAction action, SourceRef source) {
    this(name, RouteMatch.of(path), action, source, Policies.none());
  }

  /** Returns this route with {@code replacement} policies. */
  public Route withPolicies(Policies replacement) {
    return new Route(name, match, action, source, replacement, line);
  }

  /** Returns this route with another match. */
  public Route withMatch(RouteMatch replacement) {
    return new Route(name, replacement, action, source, policies, line);
  }

  /** Returns this route at {@code sourceLine} of its document. */
  public Route withLine(int sourceLine) {
    return new Route(name, match, action, source, policies, sourceLine);
  }
}
