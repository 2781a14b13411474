package io.gangway.xds.feature;

import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.gangway.xds.RouteTable;
import io.gangway.xds.XdsFeature;

/**
 * {@code ClientAddressHeaders} makes the client-address headers a backend sees trustworthy. {@code
 * X-Real-IP} is always the client address the gateway determined (the connection's peer, or the
 * address {@code xffNumTrustedHops} trusted proxies reported), replacing whatever the client sent.
 * With no trusted proxies, a client-sent {@code X-Forwarded-For} is replaced by that same address
 * instead of being forwarded with the peer appended, so a backend that reads its first entry cannot
 * be fooled. With trusted proxies configured, Envoy's append behaviour is kept: the chain is the
 * proxies' to vouch for.
 */
final class ClientAddressHeaders implements XdsFeature {

  private static final String CLIENT = "%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%";

  @Override
  public void patchRouteConfiguration(RouteConfiguration.Builder rc, RouteTable table) {
    rc.addRequestHeadersToAdd(overwrite("x-real-ip"));
    if (table.listener().xffNumTrustedHops() == 0) {
      rc.addRequestHeadersToAdd(overwrite("x-forwarded-for"));
    }
  }

  private static HeaderValueOption overwrite(String name) {
    return HeaderValueOption.newBuilder()
        .setHeader(HeaderValue.newBuilder().setKey(name).setValue(CLIENT))
        .setAppendAction(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD)
        .build();
  }
}
