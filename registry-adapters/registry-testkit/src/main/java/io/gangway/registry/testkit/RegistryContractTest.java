package io.gangway.registry.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.registry.testkit.RecordingListener.Event;
import io.gangway.registry.testkit.RecordingListener.Kind;
import io.gangway.spi.registry.Registry;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.registry.RegistryProvider;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code RegistryContractTest} is the behaviour every registry adapter promises, run against the
 * adapter's real backing registry (a ZooKeeper, a DNS server, ...). An adapter's test subclasses it
 * and implements the hooks: the registry config pointing at the backing registry, adding and
 * removing an instance of one service there, and cutting the adapter off from it and back.
 *
 * <p>The registry under test is created through {@link ServiceLoader}, so the provider's {@code
 * META-INF/services} entry is part of the contract. Each case starts one registry with a fresh
 * {@link RecordingListener} and closes it afterwards. The add case prints {@code registry change ->
 * publish: N ms (adapter)}, the time from the change in the backing registry to the listener's
 * {@code onEndpoints}.
 *
 * <p>Threading: hooks run on the JUnit thread; the registry calls the listener from its own
 * threads.
 */
public abstract class RegistryContractTest {

  /** First instance address (TEST-NET-1: never contacted, only published). */
  protected static final String ADDRESS_A = "192.0.2.10";

  /** Second instance address. */
  protected static final String ADDRESS_B = "192.0.2.11";

  private final RecordingListener listener = new RecordingListener();
  private @Nullable Registry registry;

  /** Returns the config of a registry that watches the test's backing registry. */
  protected abstract RegistryConfig registryConfig() throws Exception;

  /** Returns the host the contract service must be published under, exactly as Higress names it. */
  protected abstract String serviceHost();

  /**
   * Adds an instance of the contract service to the backing registry. Also called while the
   * registry is {@linkplain #makeUnreachable() unreachable}: the change must then show once it is
   * reachable again.
   */
  protected abstract void addInstance(String address, int port) throws Exception;

  /** Removes an instance added with {@link #addInstance}; same rules. */
  protected abstract void removeInstance(String address, int port) throws Exception;

  /** Makes the backing registry unreachable for the adapter (stop the server, drop the link). */
  protected abstract void makeUnreachable() throws Exception;

  /** Undoes {@link #makeUnreachable()}; the backing registry keeps its data. */
  protected abstract void makeReachable() throws Exception;

  /** Returns the name printed in the latency line; defaults to the registry type. */
  protected String adapterName() throws Exception {
    return registryConfig().type();
  }

  /** Returns the port instances are registered with (and published with). */
  protected int instancePort() {
    return 8080;
  }

  /**
   * Returns whether the backing registry tells a deregistration of the last instance apart from a
   * failure. When it does, removing the last instance must empty (or remove) the service; when it
   * does not (DNS: a missing record looks like a misconfiguration), the last known endpoints must
   * stay.
   */
  protected boolean distinguishesDeregistration() {
    return true;
  }

  /** Returns how long a change may take to reach the listener. */
  protected Duration changeTimeout() {
    return Duration.ofSeconds(5);
  }

  /** Returns how long detecting an outage, or the recovery after it, may take. */
  protected Duration outageTimeout() {
    return Duration.ofSeconds(15);
  }

  /** Returns how long the contract watches for an event that must not come. */
  protected Duration quietPeriod() {
    return Duration.ofMillis(1500);
  }

  /**
   * Returns whether {@code thread} is shared by every registry (a library's static selector thread)
   * and may outlive {@link Registry#close()}. Threads of the JDK's common pool are always allowed.
   */
  protected boolean isSharedThread(Thread thread) {
    return false;
  }

  /** Returns the listener of the running registry, for adapter-specific cases. */
  protected final RecordingListener listener() {
    return listener;
  }

  /** Creates the registry through its provider (found by type with ServiceLoader) and starts it. */
  protected final Registry startRegistry() throws Exception {
    RegistryConfig config = registryConfig();
    RegistryProvider provider =
        ServiceLoader.load(RegistryProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(p -> p.type().equals(config.type()))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "no RegistryProvider in META-INF/services for type " + config.type()));
    Registry created = provider.create(config);
    registry = created;
    created.start(listener);
    return created;
  }

  @AfterEach
  final void closeRegistry() {
    Registry r = registry;
    registry = null;
    if (r != null) {
      r.close();
    }
  }

  @Test
  void initialListing_publishesTheServiceUnderTheHigressHost_andIsReady() throws Exception {
    addInstance(ADDRESS_A, instancePort());
    startRegistry();
    listener.awaitAddresses(serviceHost(), List.of(a()), changeTimeout());
    listener.awaitCount(Kind.READY, 1, changeTimeout());
  }

  @Test
  void instanceAddedThenRemoved_isPublishedEachTime() throws Exception {
    addInstance(ADDRESS_A, instancePort());
    startRegistry();
    listener.awaitAddresses(serviceHost(), List.of(a()), changeTimeout());
    long changed = System.nanoTime();
    addInstance(ADDRESS_B, instancePort());
    Event added = listener.awaitAddresses(serviceHost(), List.of(a(), b()), changeTimeout());
    System.out.println(
        "registry change -> publish: "
            + (added.nanos() - changed) / 1_000_000
            + " ms ("
            + adapterName()
            + ")");
    changed = System.nanoTime();
    removeInstance(ADDRESS_A, instancePort());
    Event removed = listener.awaitAddresses(serviceHost(), List.of(b()), changeTimeout());
    System.out.println(
        "registry change -> publish: "
            + (removed.nanos() - changed) / 1_000_000
            + " ms ("
            + adapterName()
            + ", removal)");
  }

  @Test
  void lastInstanceRemoved_emptiesTheServiceOnlyWhenTheRegistrySaysSo() throws Exception {
    addInstance(ADDRESS_A, instancePort());
    startRegistry();
    listener.awaitAddresses(serviceHost(), List.of(a()), changeTimeout());
    removeInstance(ADDRESS_A, instancePort());
    if (distinguishesDeregistration()) {
      listener.awaitAddresses(serviceHost(), List.of(), changeTimeout());
    } else {
      Thread.sleep(quietPeriod().toMillis());
      assertThat(listener.currentAddresses(serviceHost())).containsExactly(a());
      assertNoEmptyPublish();
    }
  }

  @Test
  void outage_keepsTheLastKnownEndpoints_andReportsOneError() throws Exception {
    addInstance(ADDRESS_A, instancePort());
    startRegistry();
    listener.awaitAddresses(serviceHost(), List.of(a()), changeTimeout());
    makeUnreachable();
    try {
      listener.awaitCount(Kind.ERROR, 1, outageTimeout());
      Thread.sleep(quietPeriod().toMillis());
      assertThat(listener.events(Kind.ERROR)).hasSize(1);
      assertThat(listener.currentAddresses(serviceHost())).containsExactly(a());
      assertNoEmptyPublish();
    } finally {
      makeReachable();
    }
  }

  @Test
  void recovery_resyncsAChangeMadeDuringTheOutage_andANewOutageIsReportedAgain() throws Exception {
    addInstance(ADDRESS_A, instancePort());
    startRegistry();
    listener.awaitAddresses(serviceHost(), List.of(a()), changeTimeout());
    makeUnreachable();
    listener.awaitCount(Kind.ERROR, 1, outageTimeout());
    addInstance(ADDRESS_B, instancePort());
    makeReachable();
    listener.awaitAddresses(serviceHost(), List.of(a(), b()), outageTimeout());
    makeUnreachable();
    try {
      listener.awaitCount(Kind.ERROR, 2, outageTimeout());
      assertThat(listener.currentAddresses(serviceHost())).containsExactlyInAnyOrder(a(), b());
    } finally {
      makeReachable();
    }
  }

  @Test
  void close_stopsTheRegistryThreads_andNothingIsPublishedAfterwards() throws Exception {
    Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    addInstance(ADDRESS_A, instancePort());
    Registry r = startRegistry();
    listener.awaitAddresses(serviceHost(), List.of(a()), changeTimeout());
    r.close();
    r.close();
    int seen = listener.events().size();
    addInstance(ADDRESS_B, instancePort());
    Thread.sleep(quietPeriod().toMillis());
    assertThat(listener.events()).hasSize(seen);
    long deadline = System.nanoTime() + changeTimeout().toNanos();
    Set<String> left = leftoverThreads(before);
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
      left = leftoverThreads(before);
    }
    assertThat(left).as("threads still alive after close()").isEmpty();
  }

  private Set<String> leftoverThreads(Set<Thread> before) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !before.contains(t))
        .filter(t -> !t.getName().startsWith("ForkJoinPool.commonPool") && !isSharedThread(t))
        .map(Thread::getName)
        .collect(Collectors.toSet());
  }

  private void assertNoEmptyPublish() {
    assertThat(listener.events(Kind.ENDPOINTS))
        .as("empty publishes")
        .noneMatch(
            e ->
                e.host().equals(serviceHost()) && e.set() != null && e.set().endpoints().isEmpty());
    // Scoped to this test's host: a shared real server also lists (and removes) other tests'
    // services.
    assertThat(listener.events(Kind.REMOVED))
        .as("removals")
        .noneMatch(e -> e.host().equals(serviceHost()));
  }

  private String a() {
    return ADDRESS_A + ":" + instancePort();
  }

  private String b() {
    return ADDRESS_B + ":" + instancePort();
  }
}
