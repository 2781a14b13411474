package io.gangway.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.spi.registry.Endpoint;
import io.gangway.spi.registry.EndpointSet;
import io.gangway.spi.registry.Registry;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.registry.RegistryProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlPortsTest {

  private static final ControlPorts PORTS =
      ControlPorts.of(
          Map.of(
              15000,
              "Envoy admin (envoy.admin.port)",
              15010,
              "xDS (xds.port)",
              15020,
              "Gangway admin (admin.port)"));

  private static RegistryConfig staticRegistry(String domain) {
    return new RegistryConfig("static", "s", Map.of("domain", domain));
  }

  @Test
  void check_refusesAStaticRegistryOnAControlPortOfThisHost() {
    assertThat(PORTS.check(staticRegistry("127.0.0.1:15000")))
        .contains("Envoy admin")
        .contains("refused");
    assertThat(PORTS.check(staticRegistry("10.9.9.9:80,localhost:15020")))
        .contains("Gangway admin");
    assertThat(PORTS.check(staticRegistry("[::1]:15010"))).contains("xDS");
    assertThat(PORTS.check(staticRegistry("0.0.0.0:15000"))).contains("Envoy admin");
  }

  @Test
  void check_acceptsOtherPortsAndOtherHosts() {
    assertThat(PORTS.check(staticRegistry("127.0.0.1:8001,127.0.0.1:8002"))).isEmpty();
    assertThat(PORTS.check(staticRegistry("192.0.2.10:15000")))
        .isEmpty(); // another machine's port 15000
    assertThat(ControlPorts.none().check(staticRegistry("127.0.0.1:15000"))).isEmpty();
  }

  @Test
  void manager_refusesTheEntry_andDropsDiscoveredEndpointsOnControlPorts() {
    RegistryProvider any =
        new RegistryProvider() {
          @Override
          public String type() {
            return "static";
          }

          @Override
          public Registry create(RegistryConfig config) {
            return new RegistryManagerTest.Fake(config);
          }
        };
    java.util.List<RegistryManagerTest.Fake> made = new java.util.ArrayList<>();
    RegistryProvider recording =
        new RegistryProvider() {
          @Override
          public String type() {
            return "dnsish";
          }

          @Override
          public Registry create(RegistryConfig config) {
            RegistryManagerTest.Fake f = new RegistryManagerTest.Fake(config);
            made.add(f);
            return f;
          }
        };
    try (RegistryManager m =
        new RegistryManager(Map.of("static", any, "dnsish", recording), () -> {})) {
      m.reserve(PORTS);
      assertThat(m.check(staticRegistry("127.0.0.1:15000"))).contains("Envoy admin");
      m.reconcile(List.of(new RegistryConfig("dnsish", "d", Map.of("domain", "x"))));
      made.get(0)
          .list(
              "svc.dnsish",
              List.of(Endpoint.of("127.0.0.1", 15000), Endpoint.of("10.0.0.1", 80)),
              true);
      EndpointSet served = m.endpoints().get("svc.dnsish");
      assertThat(served.endpoints()).containsExactly(Endpoint.of("10.0.0.1", 80));
    }
  }
}
