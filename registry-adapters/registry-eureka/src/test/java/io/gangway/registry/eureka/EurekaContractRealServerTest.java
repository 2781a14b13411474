package io.gangway.registry.eureka;

import java.time.Duration;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The registry contract for the {@code eureka} adapter against a real server; see {@link
 * EurekaRegistryRealServerTest} (a real server's response cache delays changes up to 30 s).
 */
@EnabledIfEnvironmentVariable(named = "EUREKA_URL", matches = ".+")
class EurekaContractRealServerTest extends AbstractEurekaContractTest {

  @Override
  protected EurekaTarget open() {
    return new EurekaRegistryRealServerTest().open();
  }

  @Override
  protected Duration changeTimeout() {
    return Duration.ofSeconds(90);
  }

  @Override
  protected Duration outageTimeout() {
    return Duration.ofSeconds(90);
  }
}
