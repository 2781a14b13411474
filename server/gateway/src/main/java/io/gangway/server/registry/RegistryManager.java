package io.gangway.server.registry;

import io.gangway.spi.registry.EndpointListener;
import io.gangway.spi.registry.EndpointSet;
import io.gangway.spi.registry.Registry;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.registry.RegistryProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code RegistryManager} keeps one running {@link Registry} per McpBridge registry entry. {@link
 * #reconcile} rebuilds only the entries whose spec changed (Higress keys them by {@code
 * type/name}), and it merges every registry's services into one host → endpoints view, in
 * declaration order (the first registry to publish a host wins a conflict).
 *
 * <p>No restart and no edit empties a cluster that had endpoints: a changed entry's new watcher
 * serves the old watcher's endpoints until its own first successful listing (for good, if it never
 * lists, e.g. with wrong credentials), and with {@link #keepEndpointsIn} every registry's last real
 * listing is persisted and served after a JVM restart until the registry lists again. {@link
 * #statuses()} is read live, so an outage shows while it lasts.
 *
 * <p>Thread-safe. Registry callbacks take {@code lock} only; {@code this} serialises reconcile and
 * close, which call into registries, and is never taken by a callback, so a registry that blocks in
 * {@code close()} on its own callback thread cannot deadlock the manager.
 */
public final class RegistryManager implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RegistryManager.class);

  private final Map<String, RegistryProvider> providers;
  private final Runnable onChange;
  private final Map<String, Running> running = new LinkedHashMap<>(); // guarded by this
  private final Object lock = new Object();
  private final Map<String, Slot> slots =
      new LinkedHashMap<>(); // guarded by lock, declaration order
  private volatile @Nullable EndpointStore store;
  // A copy of the running registries for statuses(), which must not take this (reconcile may block)
  // and
  // must not call a registry while holding lock (a registry calls back into lock under its own
  // monitor).
  private volatile Map<String, Registry> registryView = Map.of();
  private volatile ControlPorts controlPorts = ControlPorts.none();
  private final Set<String> warnedControlPorts = java.util.concurrent.ConcurrentHashMap.newKeySet();
  // Failures per configured entry, across restarts of the entry; dropped when it is removed.
  private final Map<String, java.util.concurrent.atomic.AtomicLong> errors =
      new java.util.concurrent.ConcurrentHashMap<>();

  private record Running(RegistryConfig config, Registry registry) {}

  /**
   * Creates a manager.
   *
   * @param providers registry providers by type
   * @param onChange called (from any thread) whenever discovered endpoints change
   */
  public RegistryManager(Map<String, RegistryProvider> providers, Runnable onChange) {
    this.providers = Map.copyOf(providers);
    this.onChange = onChange;
  }

  /**
   * Loads the providers on the class path with {@link ServiceLoader}, the highest priority per
   * type.
   */
  public static Map<String, RegistryProvider> loadProviders() {
    Map<String, RegistryProvider> out = new HashMap<>();
    for (ServiceLoader.Provider<RegistryProvider> p :
        ServiceLoader.load(RegistryProvider.class).stream().toList()) {
      RegistryProvider provider;
      try {
        provider = p.get();
      } catch (java.util.ServiceConfigurationError e) {
        log.warn("registry provider {} cannot be loaded: {}", p.type().getName(), e.getMessage());
        continue;
      }
      if (!provider.isAvailable()) {
        continue;
      }
      out.merge(provider.type(), provider, (a, b) -> a.priority() >= b.priority() ? a : b);
    }
    return out;
  }

  /**
   * Persists every registry's last real listing in {@code dataDir} and serves the stored listing of
   * a registry when it starts, until the registry lists again. Call before the first {@link
   * #reconcile}.
   */
  public void keepEndpointsIn(Path dataDir) {
    store = new EndpointStore(dataDir);
  }

  /**
   * Validates {@code config} with its adapter, without starting anything. Returns "" when valid,
   * {@code unavailable:<why>} when no adapter for the type is installed, or the error message.
   */
  public String check(RegistryConfig config) {
    String reserved = controlPorts.check(config);
    if (!reserved.isEmpty()) {
      return reserved;
    }
    RegistryProvider p = providers.get(config.type());
    if (p == null) {
      return "unavailable:type '"
          + config.type()
          + "' has no adapter in this installation; its services get no endpoints";
    }
    try {
      p.create(config).close();
      return "";
    } catch (RuntimeException e) {
      return String.valueOf(e.getMessage());
    }
  }

  /** Starts, restarts and stops registries so that exactly {@code configs} run. */
  public synchronized void reconcile(List<RegistryConfig> configs) {
    Map<String, RegistryConfig> wanted = new LinkedHashMap<>();
    configs.forEach(c -> wanted.put(c.key(), c));
    Map<String, Slot.Inherited> handOver = new HashMap<>();
    for (String key : new ArrayList<>(running.keySet())) {
      RegistryConfig w = wanted.get(key);
      if (w == null || !w.equals(running.get(key).config())) {
        Slot.Inherited kept = stop(key, w != null);
        if (kept != null) {
          handOver.put(key, kept);
        }
      }
    }
    synchronized (lock) {
      // Entries that failed to start or had no adapter are retried with the new list.
      for (Slot slot : List.copyOf(slots.values())) {
        if (!running.containsKey(slot.key)) {
          slots.remove(slot.key);
          if (slot.inherited != null && wanted.containsKey(slot.key)) {
            handOver.put(slot.key, slot.inherited);
          }
        }
      }
    }
    EndpointStore s = store;
    if (s != null) {
      s.retain(wanted.keySet());
    }
    errors.keySet().retainAll(wanted.keySet());
    for (RegistryConfig c : wanted.values()) {
      if (!running.containsKey(c.key())) {
        start(c, handOver.getOrDefault(c.key(), persisted(c.key())));
      }
    }
    // Keep declaration order, so host conflicts resolve as declared.
    Map<String, Running> ordered = new LinkedHashMap<>();
    wanted.keySet().stream()
        .filter(running::containsKey)
        .forEach(k -> ordered.put(k, running.get(k)));
    running.clear();
    running.putAll(ordered);
    updateRegistryView();
    synchronized (lock) {
      Map<String, Slot> orderedSlots = new LinkedHashMap<>();
      wanted.keySet().stream()
          .filter(slots::containsKey)
          .forEach(k -> orderedSlots.put(k, slots.get(k)));
      slots.clear();
      slots.putAll(orderedSlots);
    }
  }

  private void start(RegistryConfig c, Slot.@Nullable Inherited inherited) {
    Slot slot = new Slot(c.key(), inherited);
    errors.computeIfAbsent(c.key(), k -> new java.util.concurrent.atomic.AtomicLong());
    synchronized (lock) {
      slots.put(c.key(), slot);
    }
    if (inherited != null) {
      log.info(
          "registry {}: serving {} {} endpoints of {} services until it lists successfully",
          c.key(),
          inherited.endpoints(),
          inherited.origin(),
          inherited.sets().size());
    }
    RegistryProvider p = providers.get(c.type());
    if (p == null) {
      synchronized (lock) {
        slot.setState("unavailable");
      }
      return;
    }
    try {
      Registry r = p.create(c);
      running.put(c.key(), new Running(c, r));
      r.start(new Listener(slot));
      log.info("registry {} started", c.key());
    } catch (RuntimeException e) {
      synchronized (lock) {
        slot.setState("failed: " + e.getMessage());
        slot.lastError = String.valueOf(e.getMessage());
        slot.lastErrorAt = Instant.now();
      }
      countError(c.key());
      log.warn("registry {} cannot start: {}", c.key(), e.getMessage());
    }
  }

  /**
   * Returns the stored listing of {@code key} to serve until the registry lists, or {@code null}.
   */
  private Slot.@Nullable Inherited persisted(String key) {
    EndpointStore s = store;
    EndpointStore.Listing l = s == null ? null : s.get(key);
    if (l == null || l.sets().values().stream().allMatch(e -> e.endpoints().isEmpty())) {
      return null;
    }
    return new Slot.Inherited(l.sets(), Slot.PERSISTED, Instant.now(), l.savedAt());
  }

  /**
   * Waits until every running registry reported ready, at most {@code timeout}; returns whether all
   * are.
   */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (allReady()) {
        return true;
      }
      Thread.sleep(20);
    }
    return allReady();
  }

  private boolean allReady() {
    synchronized (lock) {
      return slots.values().stream().noneMatch(s -> "starting".equals(s.state));
    }
  }

  /** Returns the merged host → endpoints view. */
  public Map<String, EndpointSet> endpoints() {
    Map<String, EndpointSet> out = new TreeMap<>();
    synchronized (lock) {
      for (Slot s : slots.values()) {
        s.view().forEach(out::putIfAbsent);
      }
    }
    ControlPorts reserved = controlPorts;
    out.replaceAll((host, set) -> withoutControlPorts(host, set, reserved));
    return out;
  }

  /**
   * Reserves this instance's control ports: a static registry naming one is refused by {@link
   * #check}, and discovered endpoints on one are dropped with a warning.
   */
  public void reserve(ControlPorts ports) {
    this.controlPorts = ports;
  }

  private EndpointSet withoutControlPorts(String host, EndpointSet set, ControlPorts reserved) {
    List<io.gangway.spi.registry.Endpoint> kept = new ArrayList<>();
    for (io.gangway.spi.registry.Endpoint e : set.endpoints()) {
      String what = reserved.owner(e);
      if (what == null) {
        kept.add(e);
      } else if (warnedControlPorts.add(host + " " + e.address() + ":" + e.port())) {
        log.warn(
            "service {}: dropping endpoint {}:{}, this gateway's own {} port (it must never be reachable "
                + "through a route)",
            host,
            e.address(),
            e.port(),
            what);
      }
    }
    return kept.size() == set.endpoints().size() ? set : new EndpointSet(host, kept);
  }

  /**
   * Returns, for each discovered host, the key of the registry whose endpoints {@link #endpoints()}
   * serves for it (the first registry in declaration order that discovers it).
   */
  public Map<String, String> origins() {
    Map<String, String> out = new TreeMap<>();
    synchronized (lock) {
      slots.forEach((key, s) -> s.view().keySet().forEach(h -> out.putIfAbsent(h, key)));
    }
    return out;
  }

  /** Returns the hosts {@code registry} currently discovers (for short backend names). */
  public Set<String> hosts(RegistryConfig registry) {
    synchronized (lock) {
      Slot s = slots.get(registry.key());
      return s == null ? Set.of() : Set.copyOf(s.view().keySet());
    }
  }

  /** Returns every discovered host with its registry, to tell when the set of services changed. */
  public Set<String> hostSet() {
    Set<String> out = new TreeSet<>();
    synchronized (lock) {
      slots.forEach((key, s) -> s.view().keySet().forEach(h -> out.add(key + " " + h)));
    }
    return out;
  }

  /** Returns each registry's state ({@code starting}, {@code ready}, {@code failing: ...}). */
  public Map<String, String> states() {
    Map<String, String> out = new TreeMap<>();
    synchronized (lock) {
      slots.forEach((key, s) -> out.put(key, s.state));
    }
    return out;
  }

  /**
   * Returns each registry's live status: state, since when, last error, where its endpoints come
   * from.
   */
  public Map<String, RegistryStatus> statuses() {
    Map<String, java.util.List<String>> held = new HashMap<>();
    registryView.forEach(
        (key, r) -> {
          if (r instanceof io.gangway.spi.registry.AbstractRegistry a) {
            java.util.List<String> hosts =
                java.util.List.copyOf(new java.util.TreeSet<>(a.heldByRestartGrace().keySet()));
            if (!hosts.isEmpty()) {
              held.put(key, hosts);
            }
          }
        });
    Map<String, RegistryStatus> out = new TreeMap<>();
    synchronized (lock) {
      slots.forEach(
          (key, s) ->
              out.put(
                  key,
                  s.status().withHeldByRestartGrace(held.getOrDefault(key, java.util.List.of()))));
    }
    return out;
  }

  /**
   * Returns how many failures the configured registry {@code key} reported since the JVM started
   * (or since the entry was added): one per outage, counted when the registry turns to failing
   * however many retries fail during it, plus one per start that threw. The count survives edits of
   * the entry; 0 for an unknown key.
   */
  public long errorCount(String key) {
    java.util.concurrent.atomic.AtomicLong n = errors.get(key);
    return n == null ? 0 : n.get();
  }

  /** Returns the keys {@link #errorCount} counts for: the configured registry entries. */
  public Set<String> errorKeys() {
    return Set.copyOf(errors.keySet());
  }

  private void countError(String key) {
    java.util.concurrent.atomic.AtomicLong n = errors.get(key);
    if (n != null) {
      n.incrementAndGet();
    }
  }

  private void updateRegistryView() {
    Map<String, Registry> view = new LinkedHashMap<>();
    running.forEach((k, r) -> view.put(k, r.registry()));
    registryView = Map.copyOf(view);
  }

  /** Stops every registry; the persisted endpoints stay for the next start. */
  @Override
  public synchronized void close() {
    new ArrayList<>(running.keySet()).forEach(k -> stop(k, false));
    EndpointStore s = store;
    if (s != null) {
      s.close();
    }
  }

  /**
   * Stops {@code key}'s registry; returns what it served when {@code handOver} (its entry changed,
   * so its successor serves these until its own first listing), else {@code null}.
   */
  private Slot.@Nullable Inherited stop(String key, boolean handOver) {
    Running r = running.remove(key);
    updateRegistryView();
    Slot.Inherited kept = null;
    synchronized (lock) {
      Slot slot = slots.remove(key);
      if (slot != null) {
        slot.closed = true;
        Map<String, EndpointSet> view = slot.view();
        boolean any = view.values().stream().anyMatch(s -> !s.endpoints().isEmpty());
        if (handOver && any) {
          Slot.Inherited in = slot.inherited;
          kept =
              in != null
                  ? new Slot.Inherited(Map.copyOf(view), in.origin(), in.since(), in.listedAt())
                  : new Slot.Inherited(Map.copyOf(view), Slot.PREVIOUS, Instant.now(), null);
        }
      }
    }
    if (r != null) {
      r.registry().close();
      log.info("registry {} stopped", key);
    }
    onChange.run();
    return kept;
  }

  /** Writes the registry's own listing to the store, once it is what is served. */
  private void persist(Slot slot) {
    EndpointStore s = store;
    if (s != null && slot.listed()) {
      s.put(slot.key, List.copyOf(slot.live.values()));
    }
  }

  private final class Listener implements EndpointListener {
    private final Slot slot;

    Listener(Slot slot) {
      this.slot = slot;
    }

    @Override
    public void onEndpoints(String registryKey, EndpointSet set) {
      synchronized (lock) {
        if (slot.closed) {
          return;
        }
        slot.live.put(set.host(), set);
        persist(slot);
      }
      onChange.run();
    }

    @Override
    public void onServiceRemoved(String registryKey, String host) {
      synchronized (lock) {
        if (slot.closed || slot.live.remove(host) == null) {
          return;
        }
        persist(slot);
      }
      onChange.run();
    }

    @Override
    public void onReady(String registryKey) {
      synchronized (lock) {
        if (slot.closed) {
          return;
        }
        slot.ready = true;
        if (!slot.failing) {
          slot.setState("ready");
        }
      }
      committed();
    }

    @Override
    public void onRecovered(String registryKey) {
      synchronized (lock) {
        if (slot.closed) {
          return;
        }
        slot.failing = false;
        slot.setState(slot.ready ? "ready" : "starting");
      }
      log.info("registry {} is reachable again", slot.key);
      committed();
    }

    @Override
    public void onError(String registryKey, Throwable cause) {
      Slot.Inherited in;
      synchronized (lock) {
        if (slot.closed) {
          return;
        }
        if (!slot.failing) { // adapters report once per state change; count outages, not retries
          countError(slot.key);
        }
        slot.failing = true;
        slot.setState("failing: " + cause.getMessage());
        slot.lastError = String.valueOf(cause.getMessage());
        slot.lastErrorAt = slot.since;
        in = slot.inherited;
      }
      if (in == null) {
        log.warn(
            "registry {} is failing, keeping its last known endpoints: {}",
            slot.key,
            cause.toString());
      } else {
        log.warn(
            "registry {} is failing, keeping the {} {} endpoints it started with until it lists"
                + " successfully: {}",
            slot.key,
            in.endpoints(),
            in.origin(),
            cause.toString());
      }
    }

    /** Drops the inherited endpoints after the first real listing, and persists that listing. */
    private void committed() {
      String message;
      synchronized (lock) {
        Slot.Inherited dropped = slot.inherited;
        boolean replaced = slot.commitIfListed();
        persist(slot); // no-op until the registry's own listing is what is served
        if (!replaced || dropped == null) {
          return;
        }
        int now = slot.live.values().stream().mapToInt(s -> s.endpoints().size()).sum();
        message =
            now
                + " endpoints of "
                + slot.live.size()
                + " services; they replace the "
                + dropped.endpoints()
                + " "
                + dropped.origin()
                + " endpoints it started with";
      }
      log.info("registry {} listed {}", slot.key, message);
      onChange.run();
    }
  }
}
