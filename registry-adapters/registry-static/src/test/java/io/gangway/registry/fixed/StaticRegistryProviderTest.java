package io.gangway.registry.fixed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gangway.spi.registry.Endpoint;
import io.gangway.spi.registry.EndpointListener;
import io.gangway.spi.registry.EndpointSet;
import io.gangway.spi.registry.Registry;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.registry.RegistryProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class StaticRegistryProviderTest {

  @Test
  void parse_ipv4AndIpv6_sortedEndpoints() {
    assertThat(StaticRegistryProvider.parse("10.0.0.2:80, [::1]:8080,10.0.0.1:81"))
        .containsExactly(
            Endpoint.of("10.0.0.2", 80), Endpoint.of("::1", 8080), Endpoint.of("10.0.0.1", 81));
  }

  @Test
  void parse_badItem_rejectsWholeList() {
    assertThatThrownBy(() -> StaticRegistryProvider.parse("10.0.0.1:80,host.example:80"))
        .hasMessageContaining("host.example:80");
    assertThatThrownBy(() -> StaticRegistryProvider.parse("10.0.0.1:99999"))
        .hasMessageContaining("port");
    assertThatThrownBy(() -> StaticRegistryProvider.parse("::1:80"))
        .hasMessageContaining("brackets");
    assertThatThrownBy(() -> StaticRegistryProvider.parse("")).hasMessageContaining("at least one");
  }

  @Test
  void serviceLoader_findsProvider_andRegistryPublishesHostDotStatic() {
    RegistryProvider p =
        ServiceLoader.load(RegistryProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(x -> x.type().equals("static"))
            .findFirst()
            .orElseThrow();
    List<EndpointSet> got = new ArrayList<>();
    List<String> ready = new ArrayList<>();
    try (Registry r =
        p.create(
            new RegistryConfig(
                "static",
                "echo",
                Map.of("domain", "127.0.0.1:8001,127.0.0.1:8002", "port", "80")))) {
      r.start(
          new EndpointListener() {
            @Override
            public void onEndpoints(String key, EndpointSet set) {
              got.add(set);
            }

            @Override
            public void onReady(String key) {
              ready.add(key);
            }
          });
    }
    assertThat(got)
        .containsExactly(
            new EndpointSet(
                "echo.static",
                List.of(Endpoint.of("127.0.0.1", 8001), Endpoint.of("127.0.0.1", 8002))));
    assertThat(ready).containsExactly("static/echo");
  }
}
