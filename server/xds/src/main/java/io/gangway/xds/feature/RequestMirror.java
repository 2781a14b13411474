package io.gangway.xds.feature;

import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.gangway.model.policy.Mirror;
import io.gangway.xds.XdsFeature;

/**
 * {@code RequestMirror} implements {@link Mirror} with the route's {@code request_mirror_policies}:
 * Envoy sends a copy of the share of requests to the mirror cluster and discards its response (the
 * copy's {@code Host} gets a {@code -shadow} suffix). The share is a {@code runtime_fraction} with
 * no runtime key, so only the configured percentage counts.
 */
final class RequestMirror implements XdsFeature {

  @Override
  public void patchRoute(Route.Builder route, io.gangway.model.Route source) {
    source
        .policies()
        .get(Mirror.class)
        .filter(m -> route.hasRoute())
        .ifPresent(
            m -> {
              RouteAction.RequestMirrorPolicy.Builder p =
                  RouteAction.RequestMirrorPolicy.newBuilder().setCluster(m.backend().cluster());
              if (m.percent() < 100) {
                p.setRuntimeFraction(
                    RuntimeFractionalPercent.newBuilder()
                        .setDefaultValue(
                            FractionalPercent.newBuilder()
                                .setNumerator(m.percent())
                                .setDenominator(FractionalPercent.DenominatorType.HUNDRED)));
              }
              route.getRouteBuilder().addRequestMirrorPolicies(p);
            });
  }
}
