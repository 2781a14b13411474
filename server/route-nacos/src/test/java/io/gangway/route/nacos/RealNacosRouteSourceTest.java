package io.gangway.route.nacos;

import io.gangway.testing.nacos.NacosServerHandle;
import io.gangway.testing.nacos.RealServerHandle;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The route source contract against a real Nacos 2.x/3.x server: opt in with {@code
 * NACOS_ADDR=host:8848} (plus {@code NACOS_USERNAME}/{@code NACOS_PASSWORD} when auth is on).
 * "Someone else" is a second nacos-client; what a test publishes is removed afterwards.
 */
@EnabledIfEnvironmentVariable(named = "NACOS_ADDR", matches = ".+")
class RealNacosRouteSourceTest extends NacosRouteSourceContractTest {

  @Override
  NacosServerHandle openServer() throws Exception {
    return RealServerHandle.fromEnvironment();
  }

  /**
   * A real server is shared and not ours to stop: the outage and down-at-start cases run against
   * the double.
   */
  @Override
  boolean supportsOutage() {
    return false;
  }
}
