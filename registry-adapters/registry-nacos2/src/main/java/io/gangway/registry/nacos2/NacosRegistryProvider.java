package io.gangway.registry.nacos2;

import io.gangway.spi.registry.Registry;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.registry.RegistryProvider;

/** {@code NacosRegistryProvider} handles McpBridge type {@code nacos2} (Nacos 2.x over gRPC). */
public class NacosRegistryProvider implements RegistryProvider {

  @Override
  public String type() {
    return "nacos2";
  }

  @Override
  public Registry create(RegistryConfig config) {
    return new NacosRegistry(config, NacosSettings.of(config));
  }

  /** {@code nacos3}: Nacos 3.x servers speak the same client protocol for discovery. */
  public static final class V3 extends NacosRegistryProvider {
    @Override
    public String type() {
      return "nacos3";
    }
  }
}
