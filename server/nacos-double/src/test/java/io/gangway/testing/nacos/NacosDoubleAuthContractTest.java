package io.gangway.testing.nacos;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;

/** The contract against {@link NacosDouble} with auth on: every request must carry a token. */
class NacosDoubleAuthContractTest extends NacosContractTest {

  private NacosDouble nacos;

  @Override
  NacosServerHandle openServer() {
    nacos = NacosDouble.builder().auth("gangway", "contract-secret").start();
    return new DoubleServerHandle(nacos, "gangway", "contract-secret");
  }

  @AfterEach
  void clientSentOnlyModelledRequests() {
    assertThat(nacos.unhandledRequests()).isEmpty();
  }
}
