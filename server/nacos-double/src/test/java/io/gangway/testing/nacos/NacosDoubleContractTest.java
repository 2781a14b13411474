package io.gangway.testing.nacos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;

/** The contract against {@link NacosDouble} without auth. */
class NacosDoubleContractTest extends NacosContractTest {

  private NacosDouble nacos;

  @Override
  NacosServerHandle openServer() {
    nacos = NacosDouble.start();
    return new DoubleServerHandle(nacos);
  }

  /** Runs before the base class closes the double. */
  @AfterEach
  void clientSentOnlyModelledRequests() {
    assertThat(nacos.unhandledRequests()).isEmpty();
  }
}
