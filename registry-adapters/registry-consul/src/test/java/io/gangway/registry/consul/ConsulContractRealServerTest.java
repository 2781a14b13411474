package io.gangway.registry.consul;

import java.time.Duration;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The registry contract for the {@code consul} adapter against a real agent; see {@link
 * ConsulRegistryRealServerTest}.
 */
@EnabledIfEnvironmentVariable(named = "CONSUL_ADDR", matches = ".+")
class ConsulContractRealServerTest extends AbstractConsulContractTest {

  @Override
  protected ConsulTarget open() {
    return new ConsulRegistryRealServerTest().open();
  }

  @Override
  protected Duration changeTimeout() {
    return Duration.ofSeconds(20);
  }
}
