package io.gangway.registry.consul;

import io.gangway.registry.consul.ConsulApi.ConsulCallException;
import io.gangway.spi.registry.AbstractRegistry;
import io.gangway.spi.registry.Endpoint;
import io.gangway.spi.registry.RegistryConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ConsulRegistry} watches one Consul datacenter. A catalog thread lists the services ({@code
 * GET /v1/catalog/services}) with blocking queries, so a new service is seen within a second (it
 * waits {@code consulRefreshInterval} only after an answer that did not block), keeps those
 * carrying {@code consulServiceTag}, and runs one {@link ServiceWatch} (a blocking health query
 * loop on its own daemon thread) per kept service.
 *
 * <p>What is published, and when an empty list counts:
 *
 * <ul>
 *   <li>A successful health answer is the truth for its service, so an answer with no passing
 *       instance is published as an authoritative empty list. Higress instead leaves the old
 *       endpoints in place; we do not route to instances Consul reports as critical or in
 *       maintenance.
 *   <li>A service the catalog no longer lists is {@linkplain #remove removed}.
 *   <li>Failures (transport errors, non-200 answers) publish nothing: the last known endpoints
 *       stay, the failure is reported once through {@link #reportError}, and calls are retried with
 *       backoff. The first good answer after a failure is a full, non-blocking read (a resync).
 * </ul>
 *
 * <p>Lifecycle: {@link #doStart} creates the HTTP client and threads; ready is signalled after the
 * first catalog listing and the first health answer (or failure) of every service in it. {@link
 * #doClose} closes the HTTP client first, which aborts blocked queries, then ends and joins every
 * thread. Thread-safety: publishing is serialised on this object; the watch map is changed by the
 * catalog thread only.
 */
final class ConsulRegistry extends AbstractRegistry {

  private static final Logger log = LoggerFactory.getLogger(ConsulRegistry.class);

  private final ConsulSettings settings;
  private final Backoff backoff;
  private final String threadPrefix;
  private final Map<String, ServiceWatch> watches = new ConcurrentHashMap<>();
  private final AtomicBoolean outage = new AtomicBoolean();
  private final Object readyLock = new Object();
  // Guarded by readyLock: services whose first answer is pending; null until the first listing.
  private @Nullable Set<String> awaitingFirstAnswer;
  private boolean readySignalled;
  private volatile @Nullable ConsulApi api;
  private volatile @Nullable ScheduledExecutorService catalogThread;
  private volatile @Nullable Thread catalogThreadItself;
  private volatile boolean closed;
  private int catalogFailures; // catalog thread only
  private long
      catalogIndex; // catalog thread only: the index of the last catalog listing, 0 for none

  ConsulRegistry(RegistryConfig config, ConsulSettings settings) {
    super(config);
    this.settings = settings;
    this.backoff = Backoff.forRefresh(settings.refreshInterval());
    this.threadPrefix = "gangway-consul-" + config.name() + "-";
  }

  @Override
  protected void doStart() {
    api = new ConsulApi(settings);
    ScheduledExecutorService ex =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, threadPrefix + "catalog");
              t.setDaemon(true);
              catalogThreadItself = t;
              return t;
            });
    catalogThread = ex;
    ex.execute(this::syncCatalog);
    log.info("consul registry {} watching {}", config().key(), settings);
  }

  @Override
  protected void doClose() {
    closed = true;
    ConsulApi a = api;
    if (a != null) {
      a.close(); // aborts the blocked queries, so the threads below end promptly
    }
    ScheduledExecutorService ex = catalogThread;
    try {
      if (ex != null) {
        ex.shutdownNow();
        ex.awaitTermination(2, TimeUnit.SECONDS);
      }
      Thread t = catalogThreadItself;
      if (t != null) {
        t.join(2_000); // an executor counts as terminated a moment before its thread has ended
      }
      watches.values().forEach(ServiceWatch::stop);
      for (ServiceWatch w : watches.values()) {
        if (!w.join(2_000)) {
          log.warn(
              "consul registry {}: watch of {} did not stop within 2 s",
              config().key(),
              w.service());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    watches.clear();
  }

  /**
   * Reads the service list, then starts and stops watches to match it. Runs on the catalog thread.
   */
  private void syncCatalog() {
    ConsulApi a = api;
    if (closed || a == null) {
      return;
    }
    Map<String, List<String>> services;
    long requested = System.nanoTime();
    long index;
    boolean filtered;
    try {
      var answer = a.catalogServices(catalogIndex);
      filtered = ConsulApi.lastAnswerFilteredByAcls();
      services = answer.getValue() == null ? Map.of() : answer.getValue();
      index = answer.getConsulIndex() == null ? 0 : answer.getConsulIndex();
    } catch (ConsulCallException e) {
      catalogIndex = 0;
      failed(e);
      schedule(backoff.delay(catalogFailures++));
      return;
    } catch (RuntimeException e) {
      catalogIndex = 0;
      log.error("consul registry {}: unexpected failure while listing services", config().key(), e);
      schedule(backoff.delay(catalogFailures++));
      return;
    }
    catalogFailures = 0;
    if (services.isEmpty() || filtered) {
      // A Consul agent always lists its own "consul" service; an empty catalog is ACL filtering
      // (default
      // deny with no token or a token without service:read / node:read), which Consul answers with
      // 200
      // and, for the anonymous token, without X-Consul-Results-Filtered-By-ACLs. Not a quiet empty
      // answer.
      // The listing is not the truth then: no watch is started or stopped.
      aclFiltered("/v1/catalog/services", services.isEmpty());
      catalogIndex = 0;
      armReadyGate(Set.of());
      schedule(settings.refreshInterval().toMillis());
      return;
    }
    succeeded(requested);
    if (catalogIndex > 0 && index > 0 && index < catalogIndex) {
      registryRestarted(
          "consul "
              + settings.address()
              + " catalog index went back from "
              + catalogIndex
              + " to "
              + index
              + " (restart or snapshot restore)");
    }
    long last = catalogIndex;
    catalogIndex = index < last ? 0 : Math.max(index, 1);
    Set<String> wanted = new TreeSet<>();
    services.forEach(
        (name, tags) -> {
          if (name != null && tagMatches(tags)) {
            wanted.add(name);
          }
        });
    for (String name : List.copyOf(watches.keySet())) {
      if (!wanted.contains(name)) {
        drop(watches.remove(name));
      }
    }
    List<ServiceWatch> started = new ArrayList<>();
    for (String name : wanted) {
      if (!watches.containsKey(name) && !closed) {
        ServiceWatch w =
            new ServiceWatch(
                this, a, name, settings.serviceHost(name), backoff, threadPrefix + name);
        watches.put(name, w);
        started.add(w);
      }
    }
    armReadyGate(wanted);
    started.forEach(ServiceWatch::start);
    // The next listing is a blocking query, so a new service is seen as soon as Consul commits it;
    // the
    // refresh interval only spaces listings that answer at once (an index reset or a filtered
    // read).
    schedule(index <= 0 ? settings.refreshInterval().toMillis() : 0);
  }

  /** Reports an ACL-filtered read of {@code path} as an error naming the token. */
  void aclFiltered(String path, boolean empty) {
    String who =
        settings.token() == null
            ? "no consulToken is set (the anonymous token)"
            : "the consulToken (***) lacks the read rights";
    failed(
        new ConsulCallException(
            "GET "
                + settings.address()
                + path
                + "?dc="
                + settings.datacenter()
                + ": Consul answered 200 "
                + (empty ? "with nothing" : "filtered by ACLs (X-Consul-Results-Filtered-By-ACLs)")
                + "; ACLs hide the services: "
                + who
                + ". Grant service:read and node:read (e.g. service_prefix \"\" "
                + "{ policy = \"read\" } and node_prefix \"\" { policy = \"read\" }) or set consulToken",
            null));
  }

  /** Called by a watch when the health index of a service went backwards. */
  void indexReset(String service, long from, long to) {
    registryRestarted(
        "consul "
            + settings.address()
            + " health index of "
            + service
            + " went back from "
            + from
            + " to "
            + to
            + " (restart or snapshot restore)");
  }

  private boolean tagMatches(@Nullable List<String> tags) {
    if (settings.serviceTag().isEmpty()) {
      return true;
    }
    return tags != null
        && tags.stream()
            .anyMatch(t -> t != null && t.toLowerCase(Locale.ROOT).equals(settings.serviceTag()));
  }

  private void drop(@Nullable ServiceWatch w) {
    if (w == null) {
      return;
    }
    synchronized (this) {
      w.stop();
      remove(w.host());
    }
    firstAnswer(w.service());
    log.info("consul registry {}: service {} left the catalog", config().key(), w.service());
  }

  private void schedule(long delayMillis) {
    ScheduledExecutorService ex = catalogThread;
    if (ex == null || closed) {
      return;
    }
    try {
      var unused = ex.schedule(this::syncCatalog, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException ignored) {
      // Closing.
    }
  }

  /**
   * Publishes a watch's answer unless the watch was stopped meanwhile (atomic with {@link #drop}).
   */
  void publishFrom(ServiceWatch w, List<Endpoint> endpoints) {
    synchronized (this) {
      if (!w.isStopped()) {
        publish(w.host(), endpoints, true);
      }
    }
  }

  /** Records a failed call: logged once per outage, reported once through {@link #reportError}. */
  void failed(ConsulCallException e) {
    if (closed) {
      return;
    }
    if (!outage.getAndSet(true)) {
      log.warn(
          "consul registry {}: {}; keeping the last known endpoints and retrying",
          config().key(),
          e.getMessage());
    } else {
      log.debug("consul registry {}: {}", config().key(), e.getMessage());
    }
    reportError(e);
  }

  /**
   * Recovery is decided by the catalog call alone: it is short, so it cannot predate the outage.
   */
  private void succeeded(long requestStarted) {
    markHealthy(requestStarted);
    if (outage.getAndSet(false) && !closed) {
      log.info(
          "consul registry {}: {} answers again; resynced", config().key(), settings.address());
    }
  }

  private void armReadyGate(Set<String> services) {
    boolean signal = false;
    synchronized (readyLock) {
      if (awaitingFirstAnswer == null) {
        awaitingFirstAnswer = new HashSet<>(services);
        signal = awaitingFirstAnswer.isEmpty() && !readySignalled;
        readySignalled |= signal;
      }
    }
    if (signal) {
      markReady();
    }
  }

  /**
   * Notes that {@code service} answered (or failed) for the first time; the last one signals ready.
   */
  void firstAnswer(String service) {
    boolean signal = false;
    synchronized (readyLock) {
      if (awaitingFirstAnswer != null && awaitingFirstAnswer.remove(service)) {
        signal = awaitingFirstAnswer.isEmpty() && !readySignalled;
        readySignalled |= signal;
      }
    }
    if (signal) {
      markReady();
    }
  }
}
