package io.gangway.xds;

import static java.util.Objects.requireNonNull;

import io.gangway.model.GatewayModel;
import io.gangway.spi.registry.EndpointSet;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code XdsContext} is what cluster-level feature hooks may consult besides the cluster itself:
 * the whole model, the discovered endpoints, and facts a feature derives from the model once per
 * translation ({@link #derived}) instead of once per cluster.
 *
 * <p>Not thread-safe: one translation uses it on one thread.
 */
public final class XdsContext {

  private final GatewayModel model;
  private final Map<String, EndpointSet> endpoints;
  private final Map<Object, Object> derived = new HashMap<>();

  /**
   * @param model the whole model being translated
   * @param endpoints the discovered endpoints, by service host; clusters are rebuilt when they
   *     change
   */
  public XdsContext(GatewayModel model, Map<String, EndpointSet> endpoints) {
    this.model = requireNonNull(model, "model");
    this.endpoints = requireNonNull(endpoints, "endpoints");
  }

  /** Returns the whole model being translated. */
  public GatewayModel model() {
    return model;
  }

  /** Returns the discovered endpoints, by service host. */
  public Map<String, EndpointSet> endpoints() {
    return endpoints;
  }

  /**
   * Returns what {@code compute} derives from the model, computed on the first call for {@code key}
   * in this translation. A hook that runs per cluster and needs a fact about all routes (which
   * clusters some policy targets) must use this: scanning the routes per cluster costs clusters ×
   * routes (5,000 clusters and 10,000 routes took 450 ms per edit that way).
   *
   * @param key identifies the fact; a feature's own class or a private constant
   * @param type the fact's type
   */
  public <T> T derived(Object key, Class<T> type, Function<GatewayModel, ? extends T> compute) {
    Object value = derived.get(key);
    if (value == null) {
      value = requireNonNull(compute.apply(model), "derived value");
      derived.put(key, value);
    }
    return type.cast(value);
  }
}
