package io.gangway.registry.nacos;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.registry.testkit.RecordingListener;
import io.gangway.registry.testkit.RecordingListener.Kind;
import io.gangway.spi.registry.Registry;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.testing.nacos.NacosDouble;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The {@code nacos} (1.x) registry against a Nacos double with auth on (v1 {@code auth/login}). */
class NacosV1AuthIT {

  private static final String SECRET = "s3cret-Passw0rd";
  private NacosDouble nacos;

  @BeforeEach
  void start() {
    System.setProperty("gangway.registry.allowFastRefresh", "true");
    nacos = NacosDouble.builder().auth("gw", SECRET).start();
    nacos.registerInstance(
        "public", "DEFAULT_GROUP", "orders", "10.0.0.1", 8080, 1, true, Map.of());
  }

  @AfterEach
  void stop() {
    nacos.close();
  }

  private Registry registry(String user, String password) {
    return new NacosV1RegistryProvider()
        .create(
            new RegistryConfig(
                "nacos",
                "n1",
                Map.of(
                    "domain",
                    "127.0.0.1",
                    "port",
                    nacos.port(),
                    "nacosGroups",
                    List.of("DEFAULT_GROUP"),
                    "nacosPollInterval",
                    "200000000",
                    "nacosUsername",
                    user,
                    "nacosPassword",
                    password)));
  }

  @Test
  void logsInAndDiscovers() {
    RecordingListener listener = new RecordingListener();
    try (Registry r = registry("gw", SECRET)) {
      r.start(listener);
      listener.awaitAddresses(
          "orders.DEFAULT-GROUP.public.nacos", List.of("10.0.0.1:8080"), Duration.ofSeconds(10));
      listener.awaitCount(Kind.READY, 1, Duration.ofSeconds(5));
      assertThat(listener.events(Kind.ERROR)).isEmpty();
    }
  }

  @Test
  void revokedToken_logsInAgain_andKeepsDiscovering() {
    RecordingListener listener = new RecordingListener();
    try (Registry r = registry("gw", SECRET)) {
      r.start(listener);
      listener.awaitAddresses(
          "orders.DEFAULT-GROUP.public.nacos", List.of("10.0.0.1:8080"), Duration.ofSeconds(10));
      nacos.revokeTokens(); // the next request answers 403
      nacos.registerInstance(
          "public", "DEFAULT_GROUP", "orders", "10.0.0.2", 8080, 1, true, Map.of());
      listener.awaitAddresses(
          "orders.DEFAULT-GROUP.public.nacos",
          List.of("10.0.0.1:8080", "10.0.0.2:8080"),
          Duration.ofSeconds(10));
      assertThat(listener.events(Kind.ERROR)).isEmpty();
    }
  }

  @Test
  void wrongPasswordIsReportedAsLoginFailureWithoutThePassword() {
    RecordingListener listener = new RecordingListener();
    try (Registry r = registry("gw", "wrong-" + SECRET)) {
      r.start(listener);
      RecordingListener.Event e = listener.awaitCount(Kind.ERROR, 1, Duration.ofSeconds(10));
      assertThat(e.error()).hasMessageContaining("login").hasMessageContaining("gw");
      assertThat(String.valueOf(e.error())).doesNotContain(SECRET);
      assertThat(listener.events(Kind.READY)).isEmpty();
    }
  }
}
