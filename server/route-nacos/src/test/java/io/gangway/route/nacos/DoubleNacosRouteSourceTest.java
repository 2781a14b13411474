package io.gangway.route.nacos;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.testing.nacos.DoubleServerHandle;
import io.gangway.testing.nacos.NacosDouble;
import io.gangway.testing.nacos.NacosServerHandle;
import org.junit.jupiter.api.AfterEach;

/** The route source contract against {@link NacosDouble} without auth, outages included. */
class DoubleNacosRouteSourceTest extends NacosRouteSourceContractTest {

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
