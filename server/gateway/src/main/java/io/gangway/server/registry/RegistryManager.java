package io.gangway.server.registry;

import io.gangway.spi.registry.EndpointListener;
import io.gangway.spi.registry.EndpointSet;
import io.gangway.spi.registry.Registry;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.registry.RegistryProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code RegistryManager} keeps one running {@link Registry} per McpBridge registry entry. {@link
 * #reconcile} rebuilds only the entries whose spec changed (Higress keys them by {@code type/name}),
 * and it merges every registry's services into one host → endpoints view, in declaration order (the
 * first registry to publish a host wins a conflict). Thread-safe.
 */
public final class RegistryManager implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RegistryManager.class);

  private final Map<String, RegistryProvider> providers;
  private final Runnable onChange;
  private final Map<String, Running> running = new LinkedHashMap<>();
  private final Map<String, Map<String, EndpointSet>> byRegistry = new ConcurrentHashMap<>();
  private final Map<String, String> states = new ConcurrentHashMap<>();

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

  /** Loads the providers on the class path with {@link ServiceLoader}, the highest priority per type. */
  public static Map<String, RegistryProvider> loadProviders() {
    Map<String, RegistryProvider> out = new HashMap<>();
    for (ServiceLoader.Provider<RegistryProvider> p : ServiceLoader.load(RegistryProvider.class).stream().toList()) {
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
   * Validates {@code config} with its adapter, without starting anything. Returns "" when valid,
   * {@code unavailable:<why>} when no adapter for the type is installed, or the error message.
   */
  public String check(RegistryConfig config) {
    RegistryProvider p = providers.get(config.type());
    if (p == null) {
      return "unavailable:type '" + config.type() + "' has no adapter in this installation; its services get no endpoints";
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
    for (String key : new ArrayList<>(running.keySet())) {
      RegistryConfig w = wanted.get(key);
      if (w == null || !w.equals(running.get(key).config())) {
        stop(key);
      }
    }
    for (RegistryConfig c : wanted.values()) {
      if (running.containsKey(c.key())) {
        continue;
      }
      RegistryProvider p = providers.get(c.type());
      if (p == null) {
        states.put(c.key(), "unavailable");
        continue;
      }
      try {
        Registry r = p.create(c);
        running.put(c.key(), new Running(c, r));
        states.put(c.key(), "starting");
        byRegistry.put(c.key(), new ConcurrentHashMap<>());
        r.start(new Listener(c.key()));
        log.info("registry {} started", c.key());
      } catch (RuntimeException e) {
        states.put(c.key(), "failed: " + e.getMessage());
        log.warn("registry {} cannot start: {}", c.key(), e.getMessage());
      }
    }
    // Keep declaration order, so host conflicts resolve as declared.
    Map<String, Running> ordered = new LinkedHashMap<>();
    wanted.keySet().stream().filter(running::containsKey).forEach(k -> ordered.put(k, running.get(k)));
    running.clear();
    running.putAll(ordered);
  }

  /** Waits until every running registry reported ready, at most {@code timeout}; returns whether all are. */
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

  private synchronized boolean allReady() {
    return running.keySet().stream().noneMatch(k -> "starting".equals(states.get(k)));
  }

  /** Returns the merged host → endpoints view. */
  public synchronized Map<String, EndpointSet> endpoints() {
    Map<String, EndpointSet> out = new TreeMap<>();
    for (String key : running.keySet()) {
      Map<String, EndpointSet> sets = byRegistry.get(key);
      if (sets != null) {
        sets.forEach(out::putIfAbsent);
      }
    }
    return out;
  }

  /** Returns the hosts {@code registry} currently discovers (for short backend names). */
  public java.util.Set<String> hosts(RegistryConfig registry) {
    Map<String, EndpointSet> sets = byRegistry.get(registry.key());
    return sets == null ? java.util.Set.of() : java.util.Set.copyOf(sets.keySet());
  }

  /** Returns every discovered host with its registry, to tell when the set of services changed. */
  public java.util.Set<String> hostSet() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    byRegistry.forEach((key, sets) -> sets.keySet().forEach(h -> out.add(key + " " + h)));
    return out;
  }

  /** Returns each registry's state ({@code starting}, {@code ready}, {@code failing: ...}). */
  public Map<String, String> states() {
    return new TreeMap<>(states);
  }

  @Override
  public synchronized void close() {
    new ArrayList<>(running.keySet()).forEach(this::stop);
  }

  private void stop(String key) {
    Running r = running.remove(key);
    if (r != null) {
      r.registry().close();
      log.info("registry {} stopped", key);
    }
    byRegistry.remove(key);
    states.remove(key);
    onChange.run();
  }

  private final class Listener implements EndpointListener {
    private final String key;

    Listener(String key) {
      this.key = key;
    }

    @Override
    public void onEndpoints(String registryKey, EndpointSet set) {
      Map<String, EndpointSet> sets = byRegistry.get(key);
      if (sets != null) {
        sets.put(set.host(), set);
        onChange.run();
      }
    }

    @Override
    public void onServiceRemoved(String registryKey, String host) {
      Map<String, EndpointSet> sets = byRegistry.get(key);
      if (sets != null && sets.remove(host) != null) {
        onChange.run();
      }
    }

    @Override
    public void onReady(String registryKey) {
      states.put(key, "ready");
    }

    @Override
    public void onRecovered(String registryKey) {
      states.put(key, "ready");
      log.info("registry {} is reachable again", key);
    }

    @Override
    public void onError(String registryKey, Throwable cause) {
      states.put(key, "failing: " + cause.getMessage());
      log.warn("registry {} is failing, keeping its last known endpoints: {}", key, cause.toString());
    }
  }
}
