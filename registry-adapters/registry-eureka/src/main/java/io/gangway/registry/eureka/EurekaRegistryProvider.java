package io.gangway.registry.eureka;

import io.gangway.spi.registry.Registry;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.registry.RegistryProvider;

/**
 * {@code EurekaRegistryProvider} handles McpBridge registries of type {@code eureka}: {@code
 * domain} and {@code port} (default 8761) locate the server, whose registry is read from {@code
 * http://<domain>:<port>/eureka/apps}. Hosts are {@code <APP-NAME>.eureka}, the application name as
 * Eureka returns it (normally upper case).
 *
 * <p>{@link #create} only validates; no thread or connection exists until the registry is started.
 */
public final class EurekaRegistryProvider implements RegistryProvider {

  @Override
  public String type() {
    return "eureka";
  }

  @Override
  public Registry create(RegistryConfig config) {
    return new EurekaRegistry(config, EurekaSettings.from(config));
  }
}
