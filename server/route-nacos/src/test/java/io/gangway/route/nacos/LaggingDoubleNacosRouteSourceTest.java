package io.gangway.route.nacos;

import io.gangway.testing.nacos.DoubleServerHandle;
import io.gangway.testing.nacos.NacosDouble;
import io.gangway.testing.nacos.NacosServerHandle;
import java.time.Duration;

/**
 * The route source contract against a double whose v1 HTTP reads lag each publish by 30 s, as a
 * real 3.x server's v1 read path can: the source must not depend on read-after-write of the v1 API.
 */
class LaggingDoubleNacosRouteSourceTest extends NacosRouteSourceContractTest {

  @Override
  NacosServerHandle openServer() {
    return new DoubleServerHandle(
        NacosDouble.builder().v1ReadAfterWriteDelay(Duration.ofSeconds(30)).start());
  }
}
