package io.gangway.registry.zookeeper;

import io.gangway.spi.registry.AbstractRegistry;
import io.gangway.spi.registry.Endpoint;
import io.gangway.spi.registry.RegistryConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ZooKeeperRegistry} watches the Dubbo root and every Spring Cloud root of one {@code
 * zookeeper} registry entry with one {@link CuratorCache} each (a persistent recursive watch, so
 * ZooKeeper 3.6 or newer is required) and publishes every service that a change touches.
 *
 * <p><b>Errors.</b> A suspended or lost connection (including session expiry) is reported once and
 * publishes nothing: the caches keep their last view, so the last known endpoints stay. On
 * reconnect the caches re-read every node they hold and the children of the roots, so whatever
 * changed meanwhile is published then. While connected, an instance removal is a real
 * deregistration: the last instance going publishes an empty list (authoritative), a deleted
 * service node removes the host.
 *
 * <p><b>Threading and lifecycle.</b> Cache events arrive on one event thread owned by the registry
 * (Curator's run-safe executor); connection states on Curator's state thread; a watchdog thread
 * reports a first connection that does not come. {@link #close()} closes the caches and the client
 * and stops those threads.
 */
final class ZooKeeperRegistry extends AbstractRegistry {

  static final int SESSION_TIMEOUT_MS = 10_000;
  static final int CONNECTION_TIMEOUT_MS = 5_000;

  private static final Logger log = LoggerFactory.getLogger(ZooKeeperRegistry.class);

  private final ZooKeeperSettings settings;
  private final CuratorFramework client;
  private final List<Layout> layouts = new ArrayList<>();
  private final List<CuratorCache> caches = new ArrayList<>();

  /** Hosts published per service node path; guarded by this. */
  private final Map<String, Set<String>> hostsByService = new HashMap<>();

  private final Thread watchdog;

  /**
   * Curator 5.9.0 leaks its own run-safe thread on close (GH-1277), so the registry brings its own.
   */
  private final ExecutorService events;

  private volatile boolean closed;
  private int initialised;

  ZooKeeperRegistry(RegistryConfig config, ZooKeeperSettings settings) {
    super(config);
    this.settings = settings;
    this.events =
        Executors.newSingleThreadExecutor(
            r -> daemon(r, "gangway-zookeeper-events-" + config.name()));
    this.client =
        CuratorFrameworkFactory.builder()
            .connectString(settings.connectString())
            .sessionTimeoutMs(SESSION_TIMEOUT_MS)
            .connectionTimeoutMs(CONNECTION_TIMEOUT_MS)
            .retryPolicy(new ExponentialBackoffRetry(500, 10, 5_000))
            .runSafeService(events)
            .build();
    layouts.add(new DubboLayout());
    settings.springRoots().forEach(root -> layouts.add(new SpringCloudLayout(root)));
    this.watchdog =
        daemon(this::awaitFirstConnection, "gangway-zookeeper-connect-" + config.name());
  }

  private static Thread daemon(Runnable task, String name) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    return t;
  }

  /** Returns the Curator client (tests expire its session). */
  CuratorFramework client() {
    return client;
  }

  @Override
  protected void doStart() {
    client.getConnectionStateListenable().addListener((c, state) -> onState(state));
    client.start();
    for (Layout layout : layouts) {
      CuratorCache cache =
          CuratorCache.builder(client, layout.root())
              .withExceptionHandler(this::cacheError)
              .build();
      cache.listenable().addListener(new CacheListener(layout, cache));
      caches.add(cache);
    }
    caches.forEach(CuratorCache::start);
    watchdog.start();
  }

  @Override
  protected void doClose() {
    closed = true;
    watchdog.interrupt();
    caches.forEach(CuratorCache::close);
    client.close();
    events.shutdownNow();
  }

  private void cacheError(Exception e) {
    if (closed) {
      return; // operations still queued at close fail with "session expired"; expected
    }
    // A read that failed on a broken connection; the cache re-reads everything on reconnect.
    log.warn(
        "zookeeper registry {}: read under {} failed: {}",
        config().key(),
        settings.connectString(),
        e.toString());
  }

  private void awaitFirstConnection() {
    try {
      if (!client.blockUntilConnected(CONNECTION_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
        log.warn(
            "zookeeper registry {}: cannot connect to {}; retrying",
            config().key(),
            settings.connectString());
        reportError(new IOException("cannot connect to ZooKeeper at " + settings.connectString()));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void onState(ConnectionState state) {
    switch (state) {
      case SUSPENDED, LOST -> {
        log.warn(
            "zookeeper registry {}: connection to {} {}; keeping the last known endpoints",
            config().key(),
            settings.connectString(),
            state == ConnectionState.LOST ? "lost (session expired)" : "suspended");
        reportError(
            new IOException(
                "ZooKeeper connection to "
                    + settings.connectString()
                    + " "
                    + state.name().toLowerCase(java.util.Locale.ROOT)));
      }
      case RECONNECTED -> {
        log.info(
            "zookeeper registry {}: reconnected to {}; re-reading",
            config().key(),
            settings.connectString());
        markHealthy();
      }
      default -> markHealthy();
    }
  }

  /** Publishes the current state of one service; called on Curator's event thread. */
  private synchronized void refresh(Layout layout, CuratorCache cache, String servicePath) {
    String prefix = servicePath + "/";
    refresh(
        layout,
        servicePath,
        cache.get(servicePath).isPresent(),
        cache.stream().filter(c -> c.getPath().startsWith(prefix)));
  }

  /** Publishes one service from {@code nodes}, which hold at least the service's instances. */
  private synchronized void refresh(
      Layout layout, String servicePath, boolean exists, Stream<ChildData> nodes) {
    Map<String, List<Endpoint>> now = exists ? layout.endpoints(servicePath, nodes) : Map.of();
    Set<String> hosts = new LinkedHashSet<>(hostsByService.getOrDefault(servicePath, Set.of()));
    now.forEach((host, endpoints) -> publish(host, endpoints, true));
    for (String host : hosts) {
      if (!now.containsKey(host)) {
        if (exists) {
          publish(host, List.of(), true);
        } else {
          remove(host);
        }
      }
    }
    hosts.addAll(now.keySet());
    if (exists) {
      hostsByService.put(servicePath, hosts);
    } else {
      hostsByService.remove(servicePath);
    }
  }

  private synchronized void initialised(Layout layout, CuratorCache cache) {
    // One pass over the cache, grouped by service: a scan of the whole cache per service cost
    // services × nodes (5,000 services took seconds of CPU at start).
    Map<String, List<ChildData>> byService = new LinkedHashMap<>();
    cache.stream()
        .forEach(
            c -> {
              String service = layout.serviceOf(c.getPath());
              if (service != null) {
                byService.computeIfAbsent(service, k -> new ArrayList<>()).add(c);
              }
            });
    byService.forEach(
        (service, nodes) ->
            refresh(layout, service, cache.get(service).isPresent(), nodes.stream()));
    if (++initialised == caches.size()) {
      markReady();
    }
  }

  /** Routes one cache's events to the service they touch, after the cache's first full read. */
  private final class CacheListener implements CuratorCacheListener {
    private final Layout layout;
    private final CuratorCache cache;
    private boolean ready;

    CacheListener(Layout layout, CuratorCache cache) {
      this.layout = layout;
      this.cache = cache;
    }

    @Override
    public void event(Type type, @Nullable ChildData oldData, @Nullable ChildData data) {
      ChildData node = data != null ? data : oldData;
      String service = node == null ? null : layout.serviceOf(node.getPath());
      if (ready && service != null) {
        refresh(layout, cache, service);
      }
    }

    @Override
    public void initialized() {
      ready = true;
      initialised(layout, cache);
    }
  }
}
