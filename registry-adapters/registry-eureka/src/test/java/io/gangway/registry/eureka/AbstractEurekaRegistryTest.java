package io.gangway.registry.eureka;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.registry.testkit.Recorder;
import io.gangway.registry.testkit.Recorder.Event;
import io.gangway.spi.registry.Endpoint;
import io.gangway.spi.registry.EndpointSet;
import io.gangway.spi.registry.Registry;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.registry.RegistryProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Eureka adapter's behaviour against a Eureka server, written once and run twice: against the
 * in-process {@link EurekaDouble} ({@link EurekaRegistryDoubleTest}) and, opt-in, against a real
 * server ({@link EurekaRegistryRealServerTest}). Registry changes go through the REST API ({@link
 * EurekaWriter}); every test uses its own application names.
 *
 * <p>When registry-testkit's {@code RegistryContractTest} lands, this class becomes its Eureka
 * subclass: {@link #open}, {@link #start} and {@link #up} are the adapter hooks it needs.
 */
abstract class AbstractEurekaRegistryTest {

  /** A unique prefix for this test's application names and registry name. */
  protected final String p =
      "gw" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);

  private final List<Registry> registries = new ArrayList<>();
  private final List<String[]> instances = new ArrayList<>();
  protected EurekaTarget target;
  protected EurekaWriter eureka;

  /** Opens the server for one test. */
  protected abstract EurekaTarget open() throws Exception;

  /**
   * Releases what {@link #open} opened; registries are closed and test instances cancelled before.
   */
  protected void shutdown() {}

  /**
   * How long a change may take to reach the listener; a real server's response cache adds up to 30
   * s.
   */
  protected Duration timeout() {
    return Duration.ofSeconds(10);
  }

  /** The registry's full-refresh interval in these tests. */
  protected long refreshMillis() {
    return 200;
  }

  @BeforeEach
  final void setUpTarget() throws Exception {
    target = open();
    eureka = new EurekaWriter(target);
  }

  @AfterEach
  final void tearDownTarget() {
    registries.forEach(Registry::close);
    for (String[] i : instances) {
      try {
        eureka.deregister(i[0], i[1]);
      } catch (RuntimeException ignored) {
        // The server may be down in outage tests.
      }
    }
    shutdown();
  }

  @Test
  void start_publishesUpInstancesUnderHigressHostNames() throws Exception {
    String app = p + "-orders";
    register(
        app,
        "a",
        "10.1.0.1",
        8080,
        true,
        443,
        false,
        "UP",
        Map.of("protocol", "http", "zone", "z1"));
    register(app, "b", "10.1.0.2", 8081, false, 8443, true, "UP", Map.of());
    register(app, "c", "10.1.0.3", 8080, true, 443, false, "DOWN", Map.of());
    register(app, "d", "10.1.0.4", 8080, true, 443, false, "STARTING", Map.of());
    register(app, "e", "10.1.0.5", 8080, true, 443, false, "OUT_OF_SERVICE", Map.of());
    Recorder rec = new Recorder();
    start(rec, spec -> {});
    rec.awaitReady(timeout());

    String host = host(app);
    assertThat(host).isEqualTo(p.toUpperCase(Locale.ROOT) + "-ORDERS.eureka");
    Event e =
        rec.await(
            0,
            timeout(),
            host + " with 2 endpoints",
            x -> x.host().equals(host) && x.set() != null && x.set().endpoints().size() == 2);
    assertThat(e.set())
        .isEqualTo(
            new EndpointSet(
                host,
                List.of(
                    new Endpoint("10.1.0.1", 8080, 1, Map.of("protocol", "http", "zone", "z1")),
                    new Endpoint(
                        "10.1.0.2", 8443, 1, Map.of())))); // plain port disabled → securePort
  }

  @Test
  void instanceAddedAndRemoved_reachesTheListenerWithinOneRefresh() throws Exception {
    String app = p + "-web";
    String host = host(app);
    up(app, "a", "10.2.0.1", 80);
    Recorder rec = new Recorder();
    start(rec, spec -> {});
    rec.awaitAddresses(0, timeout(), host, List.of("10.2.0.1:80"));

    long t0 = System.nanoTime();
    up(app, "b", "10.2.0.2", 80);
    long added =
        millis(rec.awaitAddresses(t0, timeout(), host, List.of("10.2.0.1:80", "10.2.0.2:80")), t0);
    long t1 = System.nanoTime();
    eureka.deregister(app, "b");
    long removed = millis(rec.awaitAddresses(t1, timeout(), host, List.of("10.2.0.1:80")), t1);

    System.out.printf(
        "registry change -> publish: %d ms (eureka) [instance added, refresh %d ms, %s]%n",
        added, refreshMillis(), mode());
    System.out.printf(
        "registry change -> publish: %d ms (eureka) [instance removed, refresh %d ms, %s]%n",
        removed, refreshMillis(), mode());
    assertThat(added).isLessThan(refreshMillis() + 800 + slackMillis());
    assertThat(removed).isLessThan(refreshMillis() + 800 + slackMillis());
  }

  @Test
  void allInstancesOutOfService_publishesAnAuthoritativeEmptyList_thenRecovers() throws Exception {
    String app = p + "-pay";
    String host = host(app);
    up(app, "a", "10.3.0.1", 9000);
    Recorder rec = new Recorder();
    start(rec, spec -> {});
    rec.awaitAddresses(0, timeout(), host, List.of("10.3.0.1:9000"));

    long t0 = System.nanoTime();
    eureka.setStatus(app, "a", "OUT_OF_SERVICE");
    rec.awaitAddresses(t0, timeout(), host, List.of());
    long t1 = System.nanoTime();
    eureka.setStatus(app, "a", "UP");
    rec.awaitAddresses(t1, timeout(), host, List.of("10.3.0.1:9000"));
    // Still listed: empty, not gone. Scoped to this host: a shared real server removes other tests'
    // apps.
    assertThat(rec.events("removed")).noneMatch(e -> e.host().equals(host));
  }

  @Test
  void applicationAppearsAndLeaves_isPublishedThenRemoved() throws Exception {
    up(p + "-keeper", "k", "10.4.0.9", 80); // the registry never becomes completely empty
    Recorder rec = new Recorder();
    start(rec, spec -> {});
    rec.awaitReady(timeout());
    String app = p + "-late";
    String host = host(app);

    long t0 = System.nanoTime();
    up(app, "a", "10.4.0.1", 7000);
    long appeared = millis(rec.awaitAddresses(t0, timeout(), host, List.of("10.4.0.1:7000")), t0);
    long t1 = System.nanoTime();
    eureka.deregister(app, "a");
    long gone =
        millis(
            rec.await(
                t1,
                timeout(),
                host + " removed",
                e -> e.kind().equals("removed") && e.host().equals(host)),
            t1);

    System.out.printf(
        "registry change -> publish: %d ms (eureka) [new application, %s]%n", appeared, mode());
    System.out.printf(
        "registry change -> publish: %d ms (eureka) [application left, %s]%n", gone, mode());
    assertThat(rec.current(host)).isNull();
    assertThat(rec.addresses(host(p + "-keeper"))).containsExactly("10.4.0.9:80");
  }

  @Test
  void unreachableServer_reportsOnceAndPublishesNothing() throws Exception {
    Recorder rec = new Recorder();
    start(rec, spec -> spec.put("port", 1)); // nothing listens on port 1
    Event error = rec.await(0, timeout(), "an error", e -> e.kind().equals("error"));
    Thread.sleep(3 * refreshMillis());

    assertThat(error.error())
        .hasMessageContaining("GET http://" + target.host() + ":1/eureka/apps");
    assertThat(rec.events("error")).hasSize(1);
    assertThat(rec.events("endpoints")).isEmpty();
    assertThat(rec.events("ready")).isEmpty();
  }

  @Test
  void close_stopsEveryThread() throws Exception {
    up(p + "-idle", "a", "10.5.0.1", 80);
    Recorder rec = new Recorder();
    Registry r = start(rec, spec -> {});
    rec.awaitReady(timeout());
    String prefix = "gangway-eureka-" + p;
    assertThat(threads(prefix)).contains(prefix);

    long t0 = System.nanoTime();
    r.close();
    long closeMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(threads(prefix)).isEmpty();
    System.out.printf("eureka registry close: %d ms%n", closeMs);
    r.close(); // idempotent
  }

  // ---- hooks and helpers ----

  /**
   * Starts a registry for the target with the test refresh interval; {@code tweak} edits the spec.
   */
  protected Registry start(Recorder rec, Consumer<Map<String, Object>> tweak) {
    Map<String, Object> spec = new HashMap<>();
    spec.put("domain", target.host());
    spec.put("port", target.port());
    spec.put(EurekaSettings.TEST_REFRESH_FIELD, refreshMillis());
    tweak.accept(spec);
    spec.values().removeIf(v -> v == null);
    RegistryProvider provider =
        ServiceLoader.load(RegistryProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(x -> x.type().equals("eureka"))
            .findFirst()
            .orElseThrow();
    Registry r = provider.create(new RegistryConfig("eureka", p, spec));
    registries.add(r);
    r.start(rec);
    return r;
  }

  /** Registers an UP instance through the REST API and remembers it for clean-up. */
  protected void up(String app, String id, String ip, int port) {
    register(app, id, ip, port, true, 443, false, "UP", Map.of());
  }

  protected void register(
      String app,
      String id,
      String ip,
      int port,
      boolean portEnabled,
      int securePort,
      boolean securePortEnabled,
      String status,
      Map<String, String> metadata) {
    instances.add(new String[] {app, id});
    eureka.register(
        app, id, ip, port, portEnabled, securePort, securePortEnabled, status, metadata);
  }

  protected static String host(String app) {
    return app.toUpperCase(Locale.ROOT) + ".eureka";
  }

  protected String mode() {
    return "double";
  }

  /** Extra time a real server's response cache may add. */
  protected long slackMillis() {
    return 0;
  }

  static long millis(Event e, long since) {
    return (e.nanos() - since) / 1_000_000;
  }

  /** Returns the names of the live threads starting with {@code prefix}. */
  static List<String> threads(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .map(Thread::getName)
        .filter(n -> n.startsWith(prefix))
        .sorted()
        .toList();
  }
}
