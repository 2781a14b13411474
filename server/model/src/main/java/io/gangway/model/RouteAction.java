package io.gangway.model;

import java.util.List;

/** {@code RouteAction} is what a matched route does: forward to clusters, or answer directly. */
public sealed interface RouteAction {

  /** Forwards to one or more weighted clusters. */
  record Forward(List<Destination> destinations) implements RouteAction {
    /** Copies and checks that there is at least one destination. */
    public Forward {
      destinations = List.copyOf(destinations);
      if (destinations.isEmpty()) {
        throw new IllegalArgumentException("destinations: [] (expected: at least one)");
      }
    }
  }

  /**
   * Answers without an upstream, e.g. 503 for a backend that cannot be resolved: the route still
   * exists (so it does not fall through to a broader one) and says why it fails.
   */
  record DirectResponse(int status, String body) implements RouteAction {}

  /** Forwards to a single cluster. */
  static RouteAction forward(String cluster) {
    return new Forward(List.of(new Destination(cluster, 100)));
  }
}
