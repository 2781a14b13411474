package io.gangway.registry.eureka;

import com.fasterxml.jackson.databind.JsonNode;
import io.gangway.registry.eureka.EurekaClient.EurekaCallException;
import io.gangway.spi.registry.AbstractRegistry;
import io.gangway.spi.registry.Endpoint;
import io.gangway.spi.registry.RegistryConfig;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code EurekaRegistry} mirrors one Eureka server by fetching its full registry every refresh
 * interval (30 s, as Higress) on one daemon thread. Eureka's delta endpoint is not used: it saves
 * bytes, not latency, since it is polled too.
 *
 * <p>What is published, and when an empty list counts:
 *
 * <ul>
 *   <li>Each listed application is published with its UP instances. A successful answer is the
 *       truth, so an application whose instances are all DOWN, STARTING or OUT_OF_SERVICE is
 *       published as an authoritative empty list. (Higress keeps every instance whatever its
 *       status.)
 *   <li>An application that is no longer listed is {@linkplain #remove removed}.
 *   <li>Exception: an answer listing no application at all does not remove anything that was there.
 *       A restarted Eureka server is empty until its clients re-register (up to 30 s later), and
 *       wiping every service would turn a registry restart into a gateway outage.
 *   <li>Failures (transport errors, non-200 answers, invalid JSON) publish nothing: the last known
 *       endpoints stay, the failure is reported once through {@link #reportError}, and the fetch is
 *       retried with capped exponential backoff. The next good answer resyncs everything.
 * </ul>
 *
 * <p>Lifecycle: {@link #doStart} creates the HTTP client and the thread; ready is signalled after
 * the first successful fetch. {@link #doClose} interrupts a fetch in flight and ends every thread
 * it created. The JDK 17 HttpClient has no close(); its selector thread ends once the client is
 * unreachable. Thread-safety: all fetching and bookkeeping happen on the registry's one thread.
 */
final class EurekaRegistry extends AbstractRegistry {

  private static final Logger log = LoggerFactory.getLogger(EurekaRegistry.class);

  private final EurekaSettings settings;
  private final String threadName;
  private final Duration retryMax;
  private final Set<String> hosts = new HashSet<>(); // registry thread only
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private volatile @Nullable EurekaClient client;
  private volatile @Nullable ScheduledExecutorService thread;
  private volatile boolean closed;
  private int failures; // registry thread only
  private boolean ready; // registry thread only
  private boolean warnedEmpty; // registry thread only

  EurekaRegistry(RegistryConfig config, EurekaSettings settings) {
    super(config);
    this.settings = settings;
    this.threadName = "gangway-eureka-" + config.name();
    this.retryMax = settings.refreshInterval();
  }

  @Override
  protected void doStart() {
    AtomicInteger workerCount = new AtomicInteger();
    client =
        new EurekaClient(
            settings, daemon(() -> threadName + "-http-" + workerCount.incrementAndGet()));
    ScheduledExecutorService ex =
        Executors.newSingleThreadScheduledExecutor(daemon(() -> threadName));
    thread = ex;
    ex.execute(this::refresh);
    log.info(
        "eureka registry {} reading {} every {}",
        config().key(),
        settings.appsUri(),
        settings.refreshInterval());
  }

  @Override
  protected void doClose() {
    closed = true;
    ScheduledExecutorService ex = thread;
    EurekaClient c = client;
    if (ex != null) {
      ex.shutdownNow();
    }
    if (c != null) {
      c.close();
    }
    client = null;
    try {
      if (ex != null) {
        ex.awaitTermination(2, TimeUnit.SECONDS);
      }
      long deadline = System.nanoTime() + 2_000_000_000L;
      for (Thread t : threads) {
        // An executor counts as terminated a moment before its threads have ended.
        t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        if (t.isAlive()) {
          log.warn(
              "eureka registry {}: thread {} did not stop within 2 s", config().key(), t.getName());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One full fetch; reschedules itself. Runs on the registry thread. */
  private void refresh() {
    EurekaClient c = client;
    if (closed || c == null) {
      return;
    }
    Map<String, List<Endpoint>> apps;
    try {
      JsonNode root = c.applications();
      try {
        apps = EurekaApps.parse(root);
      } catch (IllegalArgumentException e) {
        throw c.failure(e.getMessage(), e);
      }
    } catch (EurekaCallException e) {
      failed(e);
      schedule(retryDelay(failures++));
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return; // closing
    } catch (RuntimeException e) {
      log.error("eureka registry {}: unexpected failure", config().key(), e);
      schedule(retryDelay(failures++));
      return;
    }
    if (failures > 0) {
      log.info(
          "eureka registry {}: {} answers again; resynced", config().key(), settings.appsUri());
    }
    failures = 0;
    apply(apps);
    if (!ready) {
      ready = true;
      markReady();
    }
    schedule(settings.refreshInterval().toMillis());
  }

  private void apply(Map<String, List<Endpoint>> apps) {
    markHealthy();
    if (apps.isEmpty() && !hosts.isEmpty()) {
      if (!warnedEmpty) {
        warnedEmpty = true;
        log.warn(
            "eureka registry {}: {} lists no application; keeping the {} known services until some register",
            config().key(),
            settings.appsUri(),
            hosts.size());
      }
      return;
    }
    warnedEmpty = false;
    Set<String> seen = new HashSet<>();
    apps.forEach(
        (app, endpoints) -> {
          String host = app + ".eureka";
          seen.add(host);
          publish(host, endpoints, true);
        });
    for (String host : Set.copyOf(hosts)) {
      if (!seen.contains(host)) {
        remove(host);
        log.info("eureka registry {}: application {} left the registry", config().key(), host);
      }
    }
    hosts.clear();
    hosts.addAll(seen);
  }

  private void failed(EurekaCallException e) {
    if (closed) {
      return;
    }
    if (failures == 0) {
      log.warn(
          "eureka registry {}: {}; keeping the last known endpoints and retrying",
          config().key(),
          e.getMessage());
    } else {
      log.debug("eureka registry {}: {}", config().key(), e.getMessage());
    }
    reportError(e);
  }

  /** 500 ms doubling, at most the refresh interval, ±20 % jitter. */
  private long retryDelay(int failed) {
    long max = retryMax.toMillis();
    long d = Math.min(Math.min(500L, max) << Math.min(failed, 16), max);
    return Math.max(1, (long) (d * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
  }

  private void schedule(long delayMillis) {
    ScheduledExecutorService ex = thread;
    if (ex == null || closed) {
      return;
    }
    try {
      var unused = ex.schedule(this::refresh, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException ignored) {
      // Closing.
    }
  }

  /** Creates daemon threads and remembers them, so that close can wait until they have ended. */
  private ThreadFactory daemon(Supplier<String> name) {
    return r -> {
      Thread t = new Thread(r, name.get());
      t.setDaemon(true);
      threads.add(t);
      return t;
    };
  }
}
