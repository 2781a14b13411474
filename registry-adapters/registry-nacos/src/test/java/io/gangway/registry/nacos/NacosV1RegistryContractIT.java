package io.gangway.registry.nacos;

import io.gangway.testing.nacos.NacosRegistryContract;
import java.util.Map;

/** The registry contract for {@code nacos} (1.x) over the v1 HTTP API of the Nacos double. */
class NacosV1RegistryContractIT extends NacosRegistryContract {

  @Override
  protected String registryType() {
    return "nacos";
  }

  @Override
  protected Map<String, Object> extraSettings() {
    return Map.of("nacosPollInterval", "200000000");
  }

  @Override
  protected String adapterName() {
    return "nacos (1.x http)";
  }
}
