package io.gangway.xds.feature;

import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption.HeaderAppendAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.gangway.model.policy.HeaderControl.Operations;
import io.gangway.xds.RouteTable;
import io.gangway.xds.XdsFeature;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code HeaderControl} implements the {@link io.gangway.model.policy.HeaderControl} policy with
 * the route's {@code request_headers_to_add/remove} and {@code response_headers_to_add/remove}:
 * updates are {@code OVERWRITE_IF_EXISTS_OR_ADD}, additions {@code APPEND_IF_EXISTS_OR_ADD},
 * written updates first as Istio does for Higress. Envoy removes before it adds. Values are
 * literal: a {@code %} is escaped as {@code %%}, since Envoy would read it as the start of a
 * substitution variable and reject the route table when it is not one. The gateway's own {@code
 * x-real-ip} and {@code x-forwarded-for} are set at the route-table level, which Envoy applies
 * after the route's, so a route cannot forge them.
 */
final class HeaderControl implements XdsFeature {

  @Override
  public void patchRoute(Route.Builder route, io.gangway.model.Route source, RouteTable table) {
    source
        .policies()
        .get(io.gangway.model.policy.HeaderControl.class)
        .ifPresent(
            h -> {
              apply(
                  h.request(), route::addRequestHeadersToAdd, route::addAllRequestHeadersToRemove);
              apply(
                  h.response(),
                  route::addResponseHeadersToAdd,
                  route::addAllResponseHeadersToRemove);
            });
  }

  private static void apply(
      Operations ops, Consumer<HeaderValueOption> add, Consumer<List<String>> remove) {
    for (Map.Entry<String, String> e : ops.update().entrySet()) {
      add.accept(option(e, HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD));
    }
    for (Map.Entry<String, String> e : ops.add().entrySet()) {
      add.accept(option(e, HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD));
    }
    remove.accept(ops.remove());
  }

  private static HeaderValueOption option(Map.Entry<String, String> e, HeaderAppendAction action) {
    return HeaderValueOption.newBuilder()
        .setHeader(
            HeaderValue.newBuilder().setKey(e.getKey()).setValue(e.getValue().replace("%", "%%")))
        .setAppendAction(action)
        .build();
  }
}
