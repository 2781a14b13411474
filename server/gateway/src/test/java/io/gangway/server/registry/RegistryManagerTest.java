package io.gangway.server.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.spi.registry.AbstractRegistry;
import io.gangway.spi.registry.Endpoint;
import io.gangway.spi.registry.EndpointSet;
import io.gangway.spi.registry.Registry;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.registry.RegistryProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryManagerTest {

  private static final Endpoint E1 = Endpoint.of("10.0.0.1", 80);
  private static final Endpoint E2 = Endpoint.of("10.0.0.2", 80);

  @TempDir Path data;

  private final List<Fake> created = new ArrayList<>();
  private final RegistryProvider provider =
      new RegistryProvider() {
        @Override
        public String type() {
          return "fake";
        }

        @Override
        public Registry create(RegistryConfig config) {
          Fake f = new Fake(config);
          created.add(f);
          return f;
        }
      };

  /** A registry the test drives by hand. */
  static final class Fake extends AbstractRegistry {
    Fake(RegistryConfig config) {
      super(config);
    }

    @Override
    protected void doStart() {}

    void list(String host, List<Endpoint> endpoints, boolean authoritative) {
      publish(host, endpoints, authoritative);
    }

    void ready() {
      markReady();
    }

    void fail(String message) {
      reportError(new IOException(message));
    }

    void healthy() {
      markHealthy();
    }
  }

  private static RegistryConfig config(String server) {
    return new RegistryConfig("fake", "r", Map.of("domain", server));
  }

  private RegistryManager manager() {
    RegistryManager m = new RegistryManager(Map.of("fake", provider), () -> {});
    m.keepEndpointsIn(data);
    return m;
  }

  @Test
  void restart_withTheRegistryDown_servesThePersistedListing_untilTheRegistryListsAgain()
      throws Exception {
    try (RegistryManager first = manager()) {
      first.reconcile(List.of(config("a")));
      created.get(0).list("svc.fake", List.of(E1), true);
      created.get(0).ready();
    }
    assertThat(Files.readString(data.resolve(EndpointStore.FILE)))
        .contains("10.0.0.1")
        .contains("fake/r");

    try (RegistryManager second = manager()) {
      second.reconcile(List.of(config("a")));
      Fake r = created.get(1);
      r.list("svc.fake", List.of(), false); // a non-authoritative empty answer replaces nothing
      r.fail("connection refused");
      assertThat(second.endpoints())
          .containsEntry("svc.fake", new EndpointSet("svc.fake", List.of(E1)));
      RegistryStatus s = second.statuses().get("fake/r");
      assertThat(s.state())
          .startsWith("stale: serving 1 persisted endpoints since ")
          .endsWith("(registry failing: connection refused)");
      assertThat(s.endpointsFrom()).isEqualTo("persisted");
      assertThat(s.listedAt()).isNotNull();
      assertThat(s.lastError()).isEqualTo("connection refused");

      r.healthy(); // reachable, but no full listing yet: still the persisted endpoints
      assertThat(second.endpoints().get("svc.fake").endpoints()).containsExactly(E1);
      r.list("svc.fake", List.of(E2), true);
      r.ready();
      assertThat(second.endpoints().get("svc.fake").endpoints()).containsExactly(E2);
      assertThat(second.statuses().get("fake/r").state()).isEqualTo("ready");
      assertThat(second.statuses().get("fake/r").endpointsFrom()).isEqualTo("registry");
    }
    Thread.sleep(EndpointStore.WRITE_DELAY_MS);
    assertThat(Files.readString(data.resolve(EndpointStore.FILE)))
        .contains("10.0.0.2")
        .doesNotContain("10.0.0.1");
  }

  @Test
  void firstListing_thatReallyHasNoInstances_replacesThePersistedOne() {
    try (RegistryManager first = manager()) {
      first.reconcile(List.of(config("a")));
      created.get(0).list("svc.fake", List.of(E1), true);
      created.get(0).ready();
    }
    try (RegistryManager second = manager()) {
      second.reconcile(List.of(config("a")));
      created.get(1).ready(); // a full listing without svc.fake
      assertThat(second.endpoints()).isEmpty();
    }
  }

  @Test
  void changedEntry_keepsTheOldEndpoints_untilTheNewWatcherLists_forGoodWhenItNeverDoes() {
    try (RegistryManager m = manager()) {
      m.reconcile(List.of(config("a")));
      created.get(0).list("svc.fake", List.of(E1), true);
      created.get(0).ready();

      m.reconcile(List.of(config("wrong-credentials")));
      Fake next = created.get(1);
      next.fail("403 forbidden");
      created.get(0).list("svc.fake", List.of(E2), true); // the stopped watcher is ignored
      assertThat(m.endpoints().get("svc.fake").endpoints()).containsExactly(E1);
      assertThat(m.statuses().get("fake/r").state())
          .startsWith("stale: serving 1 endpoints of the previous configuration since ")
          .endsWith("(registry failing: 403 forbidden)");

      m.reconcile(List.of(config("b"))); // still never listed: the same endpoints carry over
      assertThat(m.endpoints().get("svc.fake").endpoints()).containsExactly(E1);
      Fake good = created.get(2);
      good.list("svc.fake", List.of(E2), true);
      good.ready();
      assertThat(m.endpoints().get("svc.fake").endpoints()).containsExactly(E2);
      assertThat(m.statuses().get("fake/r").state()).isEqualTo("ready");
    }
  }

  @Test
  void removedEntry_dropsItsEndpoints_andItsPersistedListing() throws Exception {
    try (RegistryManager m = manager()) {
      m.reconcile(List.of(config("a")));
      created.get(0).list("svc.fake", List.of(E1), true);
      created.get(0).ready();
      m.reconcile(List.of());
      assertThat(m.endpoints()).isEmpty();
      assertThat(m.statuses()).isEmpty();
    }
    assertThat(Files.readString(data.resolve(EndpointStore.FILE))).doesNotContain("fake/r");
  }

  @Test
  void statuses_followTheRegistry_live() {
    try (RegistryManager m = manager()) {
      m.reconcile(List.of(config("a")));
      Fake r = created.get(0);
      assertThat(m.statuses().get("fake/r").state()).isEqualTo("starting");
      r.list("svc.fake", List.of(E1), true);
      r.ready();
      assertThat(m.statuses().get("fake/r").state()).isEqualTo("ready");
      r.fail("timeout");
      RegistryStatus failing = m.statuses().get("fake/r");
      assertThat(failing.state()).isEqualTo("failing: timeout");
      assertThat(failing.lastErrorAt()).isEqualTo(failing.since());
      assertThat(failing.endpoints()).isEqualTo(1);
      r.healthy();
      assertThat(m.statuses().get("fake/r").state()).isEqualTo("ready");
      assertThat(m.statuses().get("fake/r").lastError()).isEqualTo("timeout");
    }
  }

  @Test
  void corruptStore_isIgnored() throws Exception {
    Files.writeString(data.resolve(EndpointStore.FILE), "{\"fake/r\": {\"savedAt\": \"x\"");
    try (RegistryManager m = manager()) {
      m.reconcile(List.of(config("a")));
      assertThat(m.endpoints()).isEmpty();
    }
  }

  @Test
  void statuses_showServicesHeldByTheRestartGrace() throws Exception {
    try (RegistryManager m = manager()) {
      m.reconcile(List.of(config("a")));
      Fake f = created.get(0);
      f.list("svc.fake", List.of(E1), true);
      f.ready();
      f.fail("connection refused");
      f.healthy(); // recovered: the restart grace starts
      f.list("svc.fake", List.of(), true); // a restarted registry answers empty
      RegistryStatus s = m.statuses().get("fake/r");
      assertThat(s.heldByRestartGrace()).containsExactly("svc.fake");
      assertThat(m.endpoints().get("svc.fake").endpoints()).containsExactly(E1);
    }
  }
}
