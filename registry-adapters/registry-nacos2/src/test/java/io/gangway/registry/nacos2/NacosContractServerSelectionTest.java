package io.gangway.registry.nacos2;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.testing.nacos.DoubleServerHandle;
import io.gangway.testing.nacos.NacosRegistryContract;
import io.gangway.testing.nacos.NacosServerHandle;
import io.gangway.testing.nacos.RealServerHandle;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The registry contract ({@link NacosRegistryContractIT}) runs against a real server when {@code
 * NACOS_ADDR} is set, as docs/registries.md says, and against the double otherwise. No real server
 * runs here: this checks the selection, not the server.
 */
class NacosContractServerSelectionTest {

  @Test
  void withoutNacosAddr_theContractRunsAgainstTheDouble() {
    try (NacosServerHandle server = NacosRegistryContract.openServer(Map.of())) {
      assertThat(server).isInstanceOf(DoubleServerHandle.class);
      assertThat(server.supportsOutage()).isTrue();
    }
  }

  @Test
  void withNacosAddr_theContractRunsAgainstThatServer_withItsCredentials() {
    try (NacosServerHandle server =
        NacosRegistryContract.openServer(
            Map.of(
                "NACOS_ADDR",
                " 10.9.8.7:8848 ",
                "NACOS_USERNAME",
                "nacos",
                "NACOS_PASSWORD",
                "pw"))) {
      assertThat(server).isInstanceOf(RealServerHandle.class);
      assertThat(server.serverAddr()).isEqualTo("10.9.8.7:8848");
      assertThat(server.credentials())
          .containsEntry("username", "nacos")
          .containsEntry("password", "pw");
      assertThat(server.supportsOutage())
          .as("outage cases are skipped against a real server")
          .isFalse();
    }
  }
}
