package io.gangway.registry.nacos;

import io.gangway.spi.registry.Registry;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.registry.RegistryProvider;

/**
 * {@code NacosV1RegistryProvider} handles McpBridge type {@code nacos} (Nacos 1.x, v1 HTTP Open
 * API).
 */
public final class NacosV1RegistryProvider implements RegistryProvider {

  @Override
  public String type() {
    return "nacos";
  }

  @Override
  public Registry create(RegistryConfig config) {
    return new NacosV1Registry(config, NacosV1Settings.of(config));
  }
}
