package io.gangway.model;

import static java.util.Objects.requireNonNull;

import io.gangway.spi.route.SourceRef;

/**
 * {@code Route} is one match → action rule of a virtual host.
 *
 * @param name a stable, unique name: {@code <namespace>/<ingress>/<rule>/<path>}; it appears in Envoy
 *     stats and access logs
 * @param match the path match
 * @param action what to do with a matching request
 * @param source the document the route came from
 * @param sslRedirect on plain-HTTP listeners, answer {@code 308} to the same URL with {@code https}
 *     instead of {@code action} (the {@code ssl-redirect} annotations); TLS listeners always apply
 *     {@code action}
 */
public record Route(String name, PathMatch match, RouteAction action, SourceRef source, boolean sslRedirect) {

  /** Validates all parts. */
  public Route {
    requireNonNull(name, "name");
    requireNonNull(match, "match");
    requireNonNull(action, "action");
    requireNonNull(source, "source");
  }

  /** Returns a route that behaves the same on every listener (no HTTPS redirect). */
  public Route(String name, PathMatch match, RouteAction action, SourceRef source) {
    this(name, match, action, source, false);
  }
}
