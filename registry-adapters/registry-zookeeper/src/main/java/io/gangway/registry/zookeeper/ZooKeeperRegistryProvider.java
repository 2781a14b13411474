package io.gangway.registry.zookeeper;

import io.gangway.spi.registry.Registry;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.registry.RegistryProvider;

/**
 * {@code ZooKeeperRegistryProvider} handles McpBridge registries of type {@code zookeeper}: {@code
 * domain} and {@code port} (default 2181) locate the ensemble; {@code /dubbo} (Dubbo) and {@code
 * /services} (Spring Cloud) are always watched, plus the Spring Cloud roots listed in {@code
 * zkServicesPath}. Authentication is not supported, as in Higress.
 *
 * <p>{@link #create} only validates (throwing {@link IllegalArgumentException} naming the field);
 * the registry connects when started. Stateless and thread-safe.
 */
public final class ZooKeeperRegistryProvider implements RegistryProvider {

  @Override
  public String type() {
    return "zookeeper";
  }

  @Override
  public Registry create(RegistryConfig config) {
    return new ZooKeeperRegistry(config, ZooKeeperSettings.parse(config));
  }
}
