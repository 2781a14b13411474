package io.gangway.registry.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Consul adapter's behaviour against a Consul server, written once and run twice: against the
 * in-process {@link ConsulDouble} ({@link ConsulRegistryDoubleTest}) and, opt-in, against a real
 * agent ({@link ConsulRegistryRealServerTest}). Catalog changes go through the HTTP API ({@link
 * CatalogWriter}); every test uses its own name prefix, so a shared real catalog is fine.
 *
 * <p>When registry-testkit's {@code RegistryContractTest} lands, this class becomes its Consul
 * subclass: {@link #open}, {@link #start} and {@link #register} are the adapter hooks it needs.
 */
abstract class AbstractConsulRegistryTest {

  /** A unique, DNS-safe prefix for this test's services, nodes and registry name. */
  protected final String p =
      "gw" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);

  private final List<Registry> registries = new ArrayList<>();
  private final Set<String> nodes = new LinkedHashSet<>();
  protected ConsulTarget target;
  protected CatalogWriter catalog;

  /** Opens the server for one test. */
  protected abstract ConsulTarget open() throws Exception;

  /** Releases what {@link #open} opened; registries are closed and test nodes removed before. */
  protected void shutdown() {}

  /** How long a change may take to reach the listener before a test fails. */
  protected Duration timeout() {
    return Duration.ofSeconds(10);
  }

  @BeforeEach
  final void setUpTarget() throws Exception {
    target = open();
    catalog = new CatalogWriter(target);
  }

  @AfterEach
  final void tearDownTarget() {
    registries.forEach(Registry::close);
    for (String node : nodes) {
      try {
        catalog.deregisterNode(node);
      } catch (RuntimeException ignored) {
        // The server may be down in outage tests.
      }
    }
    shutdown();
  }

  @Test
  void start_publishesPassingInstancesUnderHigressHostNames() throws Exception {
    String svc = p + "_orders";
    register(
        p + "-n1",
        "10.1.0.1",
        svc + "-1",
        svc,
        "10.1.0.1",
        8080,
        List.of("v1"),
        Map.of("protocol", "http"),
        true);
    register(p + "-n2", "10.1.0.9", svc + "-2", svc, "", 8081, List.of(), Map.of(), true);
    register(p + "-n3", "10.1.0.3", svc + "-3", svc, "10.1.0.3", 8082, List.of(), Map.of(), false);
    Recorder rec = new Recorder();
    start(rec, spec -> {});
    rec.awaitReady(timeout());

    String host = p + "-orders." + target.datacenter() + ".consul";
    assertThat(rec.current(host))
        .isEqualTo(
            new EndpointSet(
                host,
                List.of(
                    new Endpoint("10.1.0.1", 8080, 1, Map.of("protocol", "http")),
                    new Endpoint(
                        "10.1.0.9", 8081, 1, Map.of())))); // empty Service.Address → Node.Address
  }

  @Test
  void instanceAddedAndRemoved_reachesTheListenerWellUnderOneSecond() throws Exception {
    String svc = p + "_web";
    String host = host(svc);
    register(p + "-n1", "10.2.0.1", svc + "-1", svc, "10.2.0.1", 80, List.of(), Map.of(), true);
    Recorder rec = new Recorder();
    start(rec, spec -> {});
    rec.awaitReady(timeout());

    long t0 = System.nanoTime();
    register(p + "-n2", "10.2.0.2", svc + "-2", svc, "10.2.0.2", 80, List.of(), Map.of(), true);
    long added =
        millis(rec.awaitAddresses(t0, timeout(), host, List.of("10.2.0.1:80", "10.2.0.2:80")), t0);
    long t1 = System.nanoTime();
    catalog.deregister(p + "-n2", svc + "-2");
    long removed = millis(rec.awaitAddresses(t1, timeout(), host, List.of("10.2.0.1:80")), t1);

    System.out.printf(
        "registry change -> publish: %d ms (consul) [instance added, %s]%n", added, mode());
    System.out.printf(
        "registry change -> publish: %d ms (consul) [instance removed, %s]%n", removed, mode());
    assertThat(added).isLessThan(1000);
    assertThat(removed).isLessThan(1000);
  }

  @Test
  void lastPassingInstanceTurnsCritical_publishesAnAuthoritativeEmptyList_thenRecovers()
      throws Exception {
    String svc = p + "_pay";
    String host = host(svc);
    register(p + "-n1", "10.4.0.1", svc + "-1", svc, "10.4.0.1", 9000, List.of(), Map.of(), true);
    Recorder rec = new Recorder();
    start(rec, spec -> {});
    rec.awaitReady(timeout());
    assertThat(rec.addresses(host)).containsExactly("10.4.0.1:9000");

    long t0 = System.nanoTime();
    catalog.setPassing(p + "-n1", "10.4.0.1", svc + "-1", false);
    rec.awaitAddresses(t0, timeout(), host, List.of());
    long t1 = System.nanoTime();
    catalog.setPassing(p + "-n1", "10.4.0.1", svc + "-1", true);
    rec.awaitAddresses(t1, timeout(), host, List.of("10.4.0.1:9000"));
    assertThat(rec.events("removed")).isEmpty(); // still in the catalog: empty, not gone
  }

  @Test
  void serviceTag_filtersCatalogServicesCaseInsensitively() throws Exception {
    String tagged = p + "_tagged";
    String plain = p + "_plain";
    register(
        p + "-n1",
        "10.5.0.1",
        tagged + "-1",
        tagged,
        "10.5.0.1",
        80,
        List.of("v2", "Gateway-Exposed"),
        Map.of(),
        true);
    register(
        p + "-n1", "10.5.0.1", plain + "-1", plain, "10.5.0.1", 81, List.of("v2"), Map.of(), true);
    Recorder rec = new Recorder();
    start(rec, spec -> spec.put("consulServiceTag", " GATEWAY-exposed "));
    rec.awaitReady(timeout());

    assertThat(rec.addresses(host(tagged))).containsExactly("10.5.0.1:80");
    assertThat(rec.events()).noneMatch(e -> e.host().equals(host(plain)));
  }

  @Test
  void serviceAppearsAndLeavesTheCatalog_isPublishedThenRemoved() throws Exception {
    Recorder rec = new Recorder();
    start(rec, spec -> {});
    rec.awaitReady(timeout());
    String svc = p + "_late";
    String host = host(svc);

    long t0 = System.nanoTime();
    register(p + "-n1", "10.6.0.1", svc + "-1", svc, "10.6.0.1", 7000, List.of(), Map.of(), true);
    long appeared = millis(rec.awaitAddresses(t0, timeout(), host, List.of("10.6.0.1:7000")), t0);
    long t1 = System.nanoTime();
    catalog.deregister(p + "-n1", svc + "-1");
    long gone =
        millis(
            rec.await(
                t1,
                timeout(),
                host + " removed",
                e -> e.kind().equals("removed") && e.host().equals(host)),
            t1);

    System.out.printf(
        "registry change -> publish: %d ms (consul) [new service, catalog poll 200 ms, %s]%n",
        appeared, mode());
    System.out.printf(
        "registry change -> publish: %d ms (consul) [service left catalog, %s]%n", gone, mode());
    assertThat(rec.current(host)).isNull();
  }

  @Test
  void unknownDatacenter_reportsTheErrorAndPublishesNothing() throws Exception {
    Recorder rec = new Recorder();
    start(rec, spec -> spec.put("consulDatacenter", p + "-no-such-dc"));
    Event error = rec.await(0, timeout(), "an error", e -> e.kind().equals("error"));

    assertThat(error.error())
        .hasMessageContaining("HTTP 500")
        .hasMessageContaining("No path to datacenter")
        .hasMessageContaining("/v1/catalog/services?dc=" + p + "-no-such-dc");
    Thread.sleep(300);
    assertThat(rec.events("endpoints")).isEmpty();
    assertThat(rec.events("ready")).isEmpty();
    assertThat(rec.events("error")).hasSize(1);
  }

  @Test
  void token_valid_isAccepted() throws Exception {
    assumeTrue(target.token() != null, "the server has no ACL token configured");
    String svc = p + "_acl";
    register(p + "-n1", "10.7.0.1", svc + "-1", svc, "10.7.0.1", 80, List.of(), Map.of(), true);
    Recorder rec = new Recorder();
    start(rec, spec -> spec.put("consulToken", target.token()));
    rec.awaitReady(timeout());
    assertThat(rec.addresses(host(svc))).containsExactly("10.7.0.1:80");
    assertThat(rec.events("error")).isEmpty();
  }

  @Test
  void token_unknown_isRejectedWith403AndNothingIsPublished() throws Exception {
    assumeTrue(target.token() != null, "the server has no ACL token configured");
    Recorder rec = new Recorder();
    start(rec, spec -> spec.put("consulToken", "00000000-0000-4000-8000-00000000dead"));
    Event error = rec.await(0, timeout(), "an error", e -> e.kind().equals("error"));

    assertThat(error.error())
        .hasMessageContaining("HTTP 403")
        .hasMessageContaining("ACL not found");
    assertThat(error.error().getMessage()).doesNotContain("dead"); // the token is not echoed
    assertThat(rec.events("endpoints")).isEmpty();
  }

  @Test
  void close_stopsEveryThreadEvenWithBlockingQueriesInFlight() throws Exception {
    String svc = p + "_idle";
    register(p + "-n1", "10.8.0.1", svc + "-1", svc, "10.8.0.1", 80, List.of(), Map.of(), true);
    Recorder rec = new Recorder();
    Registry r = start(rec, spec -> {});
    rec.awaitReady(timeout());
    Thread.sleep(100); // the watch is now parked in a 30 s blocking query
    String prefix = "gangway-consul-" + p + "-";
    assertThat(threads(prefix)).contains(prefix + "catalog", prefix + svc);

    long t0 = System.nanoTime();
    r.close();
    long closeMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(threads(prefix)).isEmpty();
    System.out.printf(
        "consul registry close with %d blocking queries in flight: %d ms%n", 1, closeMs);
    assertThat(closeMs).isLessThan(3000);
    r.close(); // idempotent
  }

  // ---- hooks and helpers ----

  /**
   * Starts a registry for the target with a 200 ms catalog refresh; {@code tweak} edits the spec.
   */
  protected Registry start(Recorder rec, Consumer<Map<String, Object>> tweak) {
    Map<String, Object> spec = new HashMap<>();
    spec.put("domain", target.host());
    spec.put("port", target.port());
    spec.put("consulDatacenter", target.datacenter());
    spec.put(ConsulSettings.TEST_REFRESH_FIELD, 200);
    if (target.token() != null) {
      spec.put("consulToken", target.token());
    }
    tweak.accept(spec);
    spec.values().removeIf(v -> v == null);
    RegistryProvider provider =
        ServiceLoader.load(RegistryProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(x -> x.type().equals("consul"))
            .findFirst()
            .orElseThrow();
    Registry r = provider.create(new RegistryConfig("consul", p, spec));
    registries.add(r);
    r.start(rec);
    return r;
  }

  /** Registers one instance through the HTTP API and remembers its node for clean-up. */
  protected void register(
      String node,
      String nodeAddress,
      String id,
      String service,
      String address,
      int port,
      List<String> tags,
      Map<String, String> meta,
      boolean passing) {
    nodes.add(node);
    catalog.register(node, nodeAddress, id, service, address, port, tags, meta, passing);
  }

  protected String host(String service) {
    return (service + "." + target.datacenter() + ".consul").replace('_', '-');
  }

  protected String mode() {
    return "double";
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
