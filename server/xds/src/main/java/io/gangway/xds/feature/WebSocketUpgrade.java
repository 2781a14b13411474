package io.gangway.xds.feature;

import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.gangway.xds.ListenerSettings;
import io.gangway.xds.XdsFeature;

/**
 * {@code WebSocketUpgrade} allows the HTTP/1.1 {@code Upgrade: websocket} handshake on every route,
 * on by default as in Higress; upgraded connections are proxied as raw streams.
 */
final class WebSocketUpgrade implements XdsFeature {

  @Override
  public void patchHttpConnectionManager(HttpConnectionManager.Builder hcm, ListenerSettings s) {
    hcm.addUpgradeConfigs(
        HttpConnectionManager.UpgradeConfig.newBuilder().setUpgradeType("websocket"));
  }
}
