package io.gangway.xds;

import static java.util.Objects.requireNonNull;

import io.gangway.model.GatewayModel;
import io.gangway.spi.registry.EndpointSet;
import java.util.Map;

/**
 * {@code XdsContext} is what cluster-level feature hooks may consult besides the cluster itself.
 *
 * @param model the whole model being translated
 * @param endpoints the discovered endpoints, by service host; clusters are rebuilt when they change
 */
public record XdsContext(GatewayModel model, Map<String, EndpointSet> endpoints) {

  /** Validates the parts. */
  public XdsContext {
    requireNonNull(model, "model");
    requireNonNull(endpoints, "endpoints");
  }
}
