package io.gangway.route.nacos;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.testing.nacos.DoubleServerHandle;
import io.gangway.testing.nacos.NacosDouble;
import io.gangway.testing.nacos.NacosServerHandle;
import org.junit.jupiter.api.AfterEach;

/**
 * The route source contract against {@link NacosDouble} with auth on: the source logs in with
 * {@code routes.nacos.username}/{@code password}, and every request must carry the token.
 */
class DoubleAuthNacosRouteSourceTest extends NacosRouteSourceContractTest {

  private NacosDouble nacos;

  @Override
  NacosServerHandle openServer() {
    nacos = NacosDouble.builder().auth("gangway", "route-secret").start();
    return new DoubleServerHandle(nacos, "gangway", "route-secret");
  }

  @AfterEach
  void clientSentOnlyModelledRequests() {
    assertThat(nacos.unhandledRequests()).isEmpty();
  }
}
