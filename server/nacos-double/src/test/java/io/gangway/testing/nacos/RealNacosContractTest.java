package io.gangway.testing.nacos;

import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The same contract against a real Nacos 2.x/3.x server: opt in with {@code NACOS_ADDR=host:8848}
 * (plus {@code NACOS_USERNAME}/{@code NACOS_PASSWORD} when auth is on). "Someone else" is a second
 * set of real clients; outage tests are skipped.
 */
@EnabledIfEnvironmentVariable(named = "NACOS_ADDR", matches = ".+")
class RealNacosContractTest extends NacosContractTest {

  @Override
  NacosServerHandle openServer() {
    return RealServerHandle.fromEnvironment();
  }
}
