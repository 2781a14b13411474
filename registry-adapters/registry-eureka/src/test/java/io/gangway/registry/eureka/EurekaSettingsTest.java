package io.gangway.registry.eureka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gangway.spi.registry.RegistryConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EurekaSettingsTest {

  private static EurekaSettings parse(Object... kv) {
    Map<String, Object> spec = new HashMap<>(Map.of("domain", "eureka.local", "port", 8761));
    for (int i = 0; i < kv.length; i += 2) {
      if (kv[i + 1] == null) {
        spec.remove((String) kv[i]);
      } else {
        spec.put((String) kv[i], kv[i + 1]);
      }
    }
    return EurekaSettings.from(new RegistryConfig("eureka", "e", spec));
  }

  @Test
  void from_buildsTheHigressUrl() {
    assertThat(parse().appsUri()).hasToString("http://eureka.local:8761/eureka/apps");
    assertThat(parse().refreshInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(parse("port", null).appsUri()).hasToString("http://eureka.local:8761/eureka/apps");
    assertThat(parse("domain", "http://10.0.0.1/", "port", "8080").appsUri())
        .hasToString("http://10.0.0.1:8080/eureka/apps");
    assertThat(parse("domain", "https://eureka.local").appsUri())
        .hasToString("https://eureka.local:8761/eureka/apps");
    assertThat(parse("domain", "::1").appsUri()).hasToString("http://[::1]:8761/eureka/apps");
    assertThat(parse(EurekaSettings.TEST_REFRESH_FIELD, 150).refreshInterval())
        .isEqualTo(Duration.ofMillis(150));
  }

  @Test
  void invalid_namesTheField() {
    assertThatThrownBy(() -> parse("domain", " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("domain:");
    assertThatThrownBy(() -> parse("domain", "eureka.local:8761"))
        .hasMessageStartingWith("domain:");
    assertThatThrownBy(() -> parse("domain", "eureka.local/eureka"))
        .hasMessageStartingWith("domain:");
    assertThatThrownBy(() -> parse("port", 70000)).hasMessageStartingWith("port: 70000");
    assertThatThrownBy(() -> parse("port", "x")).hasMessageStartingWith("port: x");
    assertThatThrownBy(() -> parse(EurekaSettings.TEST_REFRESH_FIELD, -5))
        .hasMessageStartingWith(EurekaSettings.TEST_REFRESH_FIELD);
  }
}
