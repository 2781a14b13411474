package io.gangway.registry.fixed;

import io.gangway.spi.registry.AbstractRegistry;
import io.gangway.spi.registry.Endpoint;
import io.gangway.spi.registry.RegistryConfig;
import java.util.List;

/**
 * {@code StaticRegistry} publishes its fixed list once, on start; a changed list is a new registry.
 */
final class StaticRegistry extends AbstractRegistry {

  private final List<Endpoint> endpoints;

  StaticRegistry(RegistryConfig config, List<Endpoint> endpoints) {
    super(config);
    this.endpoints = List.copyOf(endpoints);
  }

  @Override
  protected void doStart() {
    publish(config().name() + ".static", endpoints, true);
    markReady();
  }
}
