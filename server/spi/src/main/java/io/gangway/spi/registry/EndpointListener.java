package io.gangway.spi.registry;

/**
 * {@code EndpointListener} receives what a {@link Registry} discovers. Calls may come from any
 * thread of the registry; implementations must be thread-safe and return quickly.
 */
public interface EndpointListener {

  /** A service appeared or its instances changed; {@code set} is the complete new list. */
  void onEndpoints(String registryKey, EndpointSet set);

  /** A service is gone from the registry. */
  default void onServiceRemoved(String registryKey, String host) {}

  /**
   * The registry finished its first full listing; until then the pipeline may wait for it
   * (bounded).
   */
  default void onReady(String registryKey) {}

  /**
   * The registry cannot be reached; last known endpoints stay in use. Called once per state change.
   */
  default void onError(String registryKey, Throwable cause) {}

  /** The registry is reachable again after {@link #onError}; called once per state change. */
  default void onRecovered(String registryKey) {}
}
