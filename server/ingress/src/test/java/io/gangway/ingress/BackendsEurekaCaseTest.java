package io.gangway.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.spi.registry.RegistryConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Eureka upper-cases application names, so a host with lower case letters never has endpoints. */
class BackendsEurekaCaseTest {

  private final Backends backends =
      new Backends(
          List.of(new RegistryConfig("eureka", "e", Map.of("domain", "127.0.0.1"))),
          ServiceCatalog.NONE);

  @Test
  void lowercaseEurekaHost_isAnErrorNamingTheHostAndTheFix() {
    Backends.Result r = backends.resolve("web.eureka", 8080);
    assertThat(r.ok()).isFalse();
    assertThat(r.error()).contains("'web.eureka'").contains("WEB.eureka");
  }

  @Test
  void uppercaseEurekaHost_resolves() {
    Backends.Result r = backends.resolve("WEB-API.eureka", 8080);
    assertThat(r.ok()).isTrue();
    assertThat(r.target().host()).isEqualTo("WEB-API.eureka");
  }
}
