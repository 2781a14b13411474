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
 */
public record Route(String name, PathMatch match, RouteAction action, SourceRef source) {

  /** Validates all parts. */
  public Route {
    requireNonNull(name, "name");
    requireNonNull(match, "match");
    requireNonNull(action, "action");
    requireNonNull(source, "source");
  }
}
