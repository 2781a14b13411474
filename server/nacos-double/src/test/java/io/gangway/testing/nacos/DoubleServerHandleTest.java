package io.gangway.testing.nacos;

import static org.assertj.core.api.Assertions.assertThat;

import com.alibaba.nacos.api.PropertyKeyConst;
import org.junit.jupiter.api.Test;

/** {@link DoubleServerHandle} is a thin view of the double's Java API. */
class DoubleServerHandleTest {

  @Test
  void publishRemoveMd5_goThroughTheDouble() {
    try (DoubleServerHandle server = new DoubleServerHandle(NacosDouble.start())) {
      assertThat(server.configMd5("", "G", "a.yaml")).isNull();

      server.publishConfig("", "G", "a.yaml", "a: 1");

      assertThat(server.nacos().getConfig("public", "G", "a.yaml")).isEqualTo("a: 1");
      assertThat(server.configMd5("public", "G", "a.yaml"))
          .isEqualTo(NacosContractTest.md5("a: 1"))
          .isEqualTo(server.nacos().configMd5("", "G", "a.yaml"));
      assertThat(server.removeConfig("", "G", "a.yaml")).isTrue();
      assertThat(server.removeConfig("", "G", "a.yaml")).isFalse();
      assertThat(server.configMd5("", "G", "a.yaml")).isNull();
      assertThat(server.serverAddr()).isEqualTo(server.nacos().serverAddr());
      assertThat(server.supportsOutage()).isTrue();
    }
  }

  @Test
  void credentials_areTheClientPropertyKeys() {
    try (DoubleServerHandle open = new DoubleServerHandle(NacosDouble.start());
        DoubleServerHandle secured =
            new DoubleServerHandle(NacosDouble.builder().auth("u", "p").start(), "u", "p")) {
      assertThat(open.credentials()).isEmpty();
      assertThat(secured.credentials())
          .containsEntry(PropertyKeyConst.USERNAME, "u")
          .containsEntry(PropertyKeyConst.PASSWORD, "p");
    }
  }
}
