package io.gangway.registry.nacos2;

import io.gangway.testing.nacos.NacosRegistryContract;
import java.util.Map;

/**
 * The registry contract for {@code nacos2}, through the real nacos-client against the Nacos double.
 */
class NacosRegistryContractIT extends NacosRegistryContract {

  @Override
  protected String registryType() {
    return "nacos2";
  }

  @Override
  protected Map<String, Object> extraSettings() {
    return Map.of();
  }

  @Override
  protected String adapterName() {
    return "nacos2";
  }
}
