package io.gangway.registry.eureka;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.registry.eureka.EurekaDouble.Instance;
import io.gangway.registry.testkit.Recorder;
import io.gangway.registry.testkit.Recorder.Event;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Runs the shared Eureka tests against {@link EurekaDouble}, plus what only a double can do:
 * outages, an unhealthy server, a restart with an empty registry, request inspection.
 */
class EurekaRegistryDoubleTest extends AbstractEurekaRegistryTest {

  private EurekaDouble server;

  @Override
  protected EurekaTarget open() throws Exception {
    server = EurekaDouble.start();
    return new EurekaTarget("127.0.0.1", server.port());
  }

  @Override
  protected void shutdown() {
    server.close();
  }

  @Test
  void fetch_isAFullJsonRegistryRead() throws Exception {
    up(p + "-a", "a", "10.9.0.1", 80);
    Recorder rec = new Recorder();
    start(rec, spec -> {});
    rec.awaitReady(timeout());
    assertThat(server.requests()).contains("GET /eureka/apps Accept=application/json");
    // Without Accept, Eureka answers XML: every read must ask for JSON.
    assertThat(server.requests())
        .filteredOn(r -> r.startsWith("GET "))
        .allMatch(r -> r.endsWith(" Accept=application/json"));
  }

  /**
   * Measures change latency behind a response cache: a change waits for the server's cache period
   * and then for the next poll, so the worst case is their sum (real defaults: 30 s + 30 s = 60 s).
   * Prints the figures; asserts only that every change arrives.
   */
  @Test
  void responseCache_changeLatency_isMeasured() throws Exception {
    long cacheMs = 700; // not a multiple of the poll, so the two cycles drift against each other
    try (EurekaDouble cached =
        EurekaDouble.start(java.time.Duration.ofMillis(cacheMs), java.time.Duration.ZERO)) {
      String app = p + "-cached";
      String host = host(app);
      cached.register(Instance.up(app, "i0", "10.12.0.0", 80, Map.of()));
      Recorder rec = new Recorder();
      start(
          rec,
          spec -> {
            spec.put("port", cached.port());
            spec.put(EurekaSettings.TEST_REFRESH_FIELD, 500);
          });
      rec.awaitAddresses(0, timeout(), host, List.of("10.12.0.0:80"));
      long max = 0;
      long sum = 0;
      int n = 12;
      for (int i = 1; i <= n; i++) {
        Thread.sleep(
            java.util.concurrent.ThreadLocalRandom.current().nextLong(500)); // vary the phase
        long t0 = System.nanoTime();
        cached.register(Instance.up(app, "i0", "10.12.0." + i, 80, Map.of()));
        Event e = rec.awaitAddresses(t0, timeout(), host, List.of("10.12.0." + i + ":80"));
        long ms = (e.nanos() - t0) / 1_000_000;
        max = Math.max(max, ms);
        sum += ms;
      }
      System.out.printf(
          "eureka change -> publish behind a %d ms response cache and a 500 ms poll (worst case their sum): mean %d ms,"
              + " max %d ms over %d changes%n",
          cacheMs, sum / n, max, n);
    }
  }

  @Test
  void outage_serverDown_keepsEndpointsReportsOnce_andResyncsOnRecovery() throws Exception {
    String app = p + "-out";
    String host = host(app);
    up(app, "a", "10.11.0.1", 80);
    Recorder rec = new Recorder();
    start(rec, spec -> {});
    rec.awaitAddresses(0, timeout(), host, List.of("10.11.0.1:80"));
    long before = System.nanoTime();

    server.stop();
    Thread.sleep(1500); // several failed refreshes
    assertThat(rec.events("error")).hasSize(1);
    assertThat(rec.events("error").get(0).error())
        .hasMessageContaining("GET http://127.0.0.1:" + target.port() + "/eureka/apps");
    assertThat(rec.events()).noneMatch(e -> e.nanos() > before && !e.kind().equals("error"));
    assertThat(rec.addresses(host)).containsExactly("10.11.0.1:80");

    server.register(Instance.up(app, "b", "10.11.0.2", 80, Map.of())); // changed while unreachable
    long t0 = System.nanoTime();
    server.restart();
    Event resynced =
        rec.awaitAddresses(t0, timeout(), host, List.of("10.11.0.1:80", "10.11.0.2:80"));
    System.out.printf(
        "registry change -> publish: %d ms (eureka) [resync after server restart, double]%n",
        millis(resynced, t0));
    assertThat(rec.events("error")).hasSize(1);
  }

  @Test
  void non200Answer_keepsEndpoints_andNamesTheStatus() throws Exception {
    String app = p + "-503";
    String host = host(app);
    up(app, "a", "10.12.0.1", 80);
    Recorder rec = new Recorder();
    start(rec, spec -> {});
    rec.awaitAddresses(0, timeout(), host, List.of("10.12.0.1:80"));

    server.failWith(503);
    Event error = rec.await(0, timeout(), "an error", e -> e.kind().equals("error"));
    assertThat(error.error()).hasMessageContaining("HTTP 503 failing on purpose");
    Thread.sleep(500);
    assertThat(rec.addresses(host)).containsExactly("10.12.0.1:80");
    assertThat(rec.events("error")).hasSize(1);

    server.failWith(0);
    long t0 = System.nanoTime();
    up(app, "b", "10.12.0.2", 80);
    rec.awaitAddresses(t0, timeout(), host, List.of("10.12.0.1:80", "10.12.0.2:80"));
  }

  @Test
  void restartWithEmptyRegistry_keepsEverything_untilApplicationsRegisterAgain() throws Exception {
    String kept = p + "-kept";
    String lost = p + "-lost";
    up(kept, "a", "10.13.0.1", 80);
    up(lost, "a", "10.13.0.2", 80);
    Recorder rec = new Recorder();
    start(rec, spec -> {});
    rec.awaitReady(timeout());
    long before = System.nanoTime();

    server.clear();
    Thread.sleep(5 * refreshMillis());
    assertThat(rec.events()).noneMatch(e -> e.nanos() > before);
    assertThat(rec.addresses(host(kept))).containsExactly("10.13.0.1:80");
    assertThat(rec.addresses(host(lost))).containsExactly("10.13.0.2:80");

    long t0 = System.nanoTime();
    server.register(Instance.up(kept, "a2", "10.13.0.3", 80, Map.of()));
    rec.awaitAddresses(t0, timeout(), host(kept), List.of("10.13.0.3:80"));
    rec.await(
        t0,
        timeout(),
        "lost removed",
        e -> e.kind().equals("removed") && e.host().equals(host(lost)));
  }
}
