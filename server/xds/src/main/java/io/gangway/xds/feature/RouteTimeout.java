package io.gangway.xds.feature;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.gangway.xds.XdsFeature;

/**
 * {@code RouteTimeout} gives forwarding routes no route timeout by default (as Higress and Istio):
 * Envoy's own default of 15 s would cut long polls, streams and websockets; the listener's idle
 * timeouts bound abandoned requests instead.
 */
final class RouteTimeout implements XdsFeature {

  @Override
  public void patchRoute(Route.Builder route, io.gangway.model.Route source) {
    if (route.hasRoute()) {
      route.getRouteBuilder().setTimeout(Duration.getDefaultInstance());
    }
  }
}
