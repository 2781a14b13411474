package io.gangway.registry.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gangway.spi.registry.RegistryConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConsulSettingsTest {

  private static ConsulSettings parse(Object... kv) {
    Map<String, Object> spec =
        new HashMap<>(Map.of("domain", "consul.local", "port", 8500, "consulDatacenter", "dc1"));
    for (int i = 0; i < kv.length; i += 2) {
      if (kv[i + 1] == null) {
        spec.remove((String) kv[i]);
      } else {
        spec.put((String) kv[i], kv[i + 1]);
      }
    }
    return ConsulSettings.from(new RegistryConfig("consul", "c", spec));
  }

  @Test
  void from_higressFields() {
    ConsulSettings s =
        parse(
            "consulServiceTag",
            "  Gateway ",
            "consulRefreshInterval",
            60_000_000_000L,
            "consulToken",
            "s3cr3t");
    assertThat(s.host()).isEqualTo("consul.local");
    assertThat(s.port()).isEqualTo(8500);
    assertThat(s.datacenter()).isEqualTo("dc1");
    assertThat(s.serviceTag()).isEqualTo("gateway");
    assertThat(s.refreshInterval()).isEqualTo(Duration.ofSeconds(60));
    assertThat(s.token()).isEqualTo("s3cr3t");
    assertThat(s.toString()).doesNotContain("s3cr3t");
  }

  @Test
  void refreshInterval_defaultsTo30s_andIsClampedTo10s() {
    assertThat(parse().refreshInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(parse("consulRefreshInterval", "1000000000").refreshInterval())
        .isEqualTo(Duration.ofSeconds(10));
    assertThat(parse(ConsulSettings.TEST_REFRESH_FIELD, 200).refreshInterval())
        .isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void serviceHost_replacesEveryUnderscore() {
    ConsulSettings s = parse("consulDatacenter", "dc_east");
    assertThat(s.serviceHost("my_svc")).isEqualTo("my-svc.dc-east.consul");
    assertThat(s.serviceHost("httpbin")).isEqualTo("httpbin.dc-east.consul");
  }

  @Test
  void domain_forms() {
    assertThat(parse("domain", "http://10.0.0.1/").host()).isEqualTo("10.0.0.1");
    assertThat(parse("domain", "::1").host()).isEqualTo("[::1]");
    assertThat(parse("domain", "https://consul.example:8501".replace(":8501", "")).address())
        .isEqualTo("https://consul.example:8500");
    assertThat(parse("domain", "HTTPS://c/").scheme()).isEqualTo("https");
    assertThat(parse("domain", "c").scheme()).isEqualTo("http");
    assertThat(parse("port", null).port()).isEqualTo(8500);
  }

  @Test
  void invalid_namesTheField() {
    assertThatThrownBy(() -> parse("domain", ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("domain:");
    assertThatThrownBy(() -> parse("domain", "c:8500")).hasMessageStartingWith("domain:");
    assertThatThrownBy(() -> parse("port", 0)).hasMessageStartingWith("port: 0");
    assertThatThrownBy(() -> parse("consulDatacenter", " "))
        .hasMessageStartingWith("consulDatacenter:");
    assertThatThrownBy(() -> parse("consulRefreshInterval", "30s"))
        .hasMessageStartingWith("consulRefreshInterval:");
    assertThatThrownBy(() -> parse("consulRefreshInterval", -1))
        .hasMessageStartingWith("consulRefreshInterval:");
    assertThatThrownBy(() -> parse(ConsulSettings.TEST_REFRESH_FIELD, 0))
        .hasMessageStartingWith(ConsulSettings.TEST_REFRESH_FIELD);
  }

  @Test
  void authSecretName_isAcceptedWhenTheTokenIsGiven() {
    assertThat(parse("authSecretName", "consul-auth", "consulToken", "t").token()).isEqualTo("t");
  }

  @Test
  void authSecretName_withoutTheResolvedToken_meansNoToken() {
    // The translator adds consulToken from the Secret; a Secret without it means no token, as in
    // Higress.
    assertThat(parse("authSecretName", "consul-auth").token()).isNull();
  }
}
