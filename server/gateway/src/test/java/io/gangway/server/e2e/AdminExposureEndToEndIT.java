package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Issue 8 item 19: an admin API bound beyond loopback without a token is refused at start-up. */
class AdminExposureEndToEndIT {

  @Test
  void adminOnAllAddresses_withoutAToken_refusesToStart_withOneLineNamingTheFix() throws Exception {
    try (GatewayHarness gw = new GatewayHarness("")) {
      Path conf = gw.home.resolve("conf/gangway.yaml");
      Files.writeString(
          conf,
          Files.readString(conf)
              .replace("admin: {address: 127.0.0.1,", "admin: {address: 0.0.0.0,"));
      assertThatThrownBy(gw::startJvm).hasMessageContaining("JVM exited");
      assertThat(gw.logs())
          .contains("admin.address 0.0.0.0 is not a loopback address")
          .contains("GANGWAY_ADMIN_TOKEN");
    }
  }
}
