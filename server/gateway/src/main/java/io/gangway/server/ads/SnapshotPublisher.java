package io.gangway.server.ads;

import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.gangway.xds.Consistency;
import io.gangway.xds.XdsResources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code SnapshotPublisher} is the only writer of the xDS cache. Every Envoy of this instance
 * belongs to one node group, so all get the same config. A snapshot that fails the consistency
 * check (a cluster without endpoints resource, a listener without its route table) is not
 * published: Envoy keeps the last good one.
 *
 * <p>Changes that add or remove clusters are rolled out make-before-break ({@link Rollout}): new
 * clusters reach Envoy (CDS ACKed) before any route names them, and a cluster leaves CDS only after
 * every connected Envoy ACKed route tables that no longer use it. Envoy applies each xDS type on
 * its own, so publishing both at once lets routes name a missing cluster for a moment ({@code 503
 * NC}). A step that is not ACKed within {@code ackTimeout} (a NACK, a stuck Envoy) is passed
 * anyway, with a warning: an unused cluster kept too long is harmless, a rollout that never
 * finishes is not. Thread-safe; the pipeline calls {@link #publish} from one thread, the xDS server
 * reports ACKs.
 */
public final class SnapshotPublisher {

  /** Thrown for a resource set that must not be published. */
  public static final class InconsistentSnapshotException extends Exception {
    private static final long serialVersionUID = 1L;

    InconsistentSnapshotException(String message) {
      super(message);
    }
  }

  /** The single node group. */
  static final String GROUP = "gangway";

  private static final Logger log = LoggerFactory.getLogger(SnapshotPublisher.class);

  private final SimpleCache<String> cache = new SimpleCache<>(node -> GROUP);
  private final AtomicReference<@Nullable StableSnapshot> current = new AtomicReference<>();
  private final AckTracker acks = new AckTracker(this::acked, this::acked);
  private final Duration ackTimeout;
  private final Executor ackExecutor;
  private final @Nullable ScheduledExecutorService timer;
  // Guarded by this: the set the pipeline asked for, what the cache holds, and the step in flight.
  private @Nullable StableSnapshot target;
  private @Nullable XdsResources targetResources;
  private @Nullable XdsResources published;
  private Rollout.@Nullable Step waiting;
  private long waitGeneration;

  /** Creates a publisher whose rollout steps wait at most 5 s for Envoy's ACKs. */
  public SnapshotPublisher() {
    this(Duration.ofSeconds(5), null);
  }

  /**
   * Creates a publisher; {@code ackExecutor} runs the next rollout step after an ACK (null: a
   * daemon thread of its own, which also times steps out; tests pass {@code Runnable::run} and call
   * {@link #expireWait}).
   */
  SnapshotPublisher(Duration ackTimeout, @Nullable Executor ackExecutor) {
    this.ackTimeout = ackTimeout;
    if (ackExecutor == null) {
      ScheduledExecutorService t =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread th = new Thread(r, "gangway-xds-rollout");
                th.setDaemon(true);
                return th;
              });
      this.timer = t;
      this.ackExecutor = t;
    } else {
      this.timer = null;
      this.ackExecutor = ackExecutor;
    }
  }

  /** Returns the cache the discovery server reads from. */
  public SimpleCache<String> cache() {
    return cache;
  }

  /** Returns the ACK bookkeeping the discovery server reports to. */
  AckTracker acks() {
    return acks;
  }

  /**
   * Publishes {@code resources}; returns the per-type versions that changed (empty when nothing
   * did). Added or removed clusters may reach Envoy in steps, after this returns.
   *
   * @throws InconsistentSnapshotException when the resources reference each other inconsistently
   */
  public Map<String, String> publish(XdsResources resources) throws InconsistentSnapshotException {
    List<String> problems = Consistency.problems(resources);
    if (!problems.isEmpty()) {
      throw new InconsistentSnapshotException(String.join("; ", problems));
    }
    StableSnapshot next = new StableSnapshot(resources);
    synchronized (this) {
      StableSnapshot previous = target;
      Map<String, String> changed = new TreeMap<>();
      compare(
          "listeners",
          previous == null ? null : previous.listeners().version(),
          next.listeners().version(),
          changed);
      compare(
          "routes",
          previous == null ? null : previous.routes().version(),
          next.routes().version(),
          changed);
      compare(
          "clusters",
          previous == null ? null : previous.clusters().version(),
          next.clusters().version(),
          changed);
      compare(
          "endpoints",
          previous == null ? null : previous.endpoints().version(),
          next.endpoints().version(),
          changed);
      compare(
          "secrets",
          previous == null ? null : previous.secrets().version(),
          next.secrets().version(),
          changed);
      if (changed.isEmpty()) {
        return changed;
      }
      target = next;
      targetResources = resources;
      waiting = null; // a newer target replans from what the cache holds
      advance();
      return changed;
    }
  }

  /** Returns whether a snapshot has been published: xDS must not be served before. */
  public boolean hasSnapshot() {
    return current.get() != null;
  }

  /** Returns the per-type versions of the current snapshot, for status. */
  public Map<String, String> versions() {
    StableSnapshot s = current.get();
    Map<String, String> out = new TreeMap<>();
    if (s != null) {
      out.put("listeners", s.listeners().version());
      out.put("routes", s.routes().version());
      out.put("clusters", s.clusters().version());
      out.put("endpoints", s.endpoints().version());
      out.put("secrets", s.secrets().version());
    }
    return out;
  }

  /** Passes the step in flight without its ACKs (the timeout's action; tests call it directly). */
  synchronized void expireWait() {
    Rollout.@Nullable Step w = waiting;
    if (w != null) {
      log.warn(
          "Envoy did not ACK {} within {}; continuing the rollout (a removed cluster may answer 503 NC"
              + " for a moment)",
          w.await(),
          ackTimeout);
      waiting = null;
      advance();
    }
  }

  private void acked() {
    ackExecutor.execute(
        () -> {
          synchronized (this) {
            Rollout.@Nullable Step w = waiting;
            if (w != null && isAcked(w)) {
              waiting = null;
              advance();
            }
          }
        });
  }

  /** Publishes steps towards the target until one must wait for Envoy's ACK. Holds the lock. */
  private void advance() {
    XdsResources t = targetResources;
    StableSnapshot ts = target;
    if (t == null || ts == null) {
      return;
    }
    while (true) {
      Rollout.Step step = Rollout.next(published, t);
      if (step.last()) {
        @SuppressWarnings(
            "ReferenceEquality") // the target object itself: reuse its snapshot, not an equal one
        boolean isTarget = step.resources() == t;
        set(isTarget ? ts : new StableSnapshot(step.resources()), step.resources());
        return;
      }
      set(new StableSnapshot(step.resources(), step.endpointBasis()), step.resources());
      if (isAcked(step)) {
        continue; // no Envoy connected, or it already runs this
      }
      waiting = step;
      long generation = ++waitGeneration;
      log.debug("rollout step published, waiting for Envoy to ACK {}", step.await());
      ScheduledExecutorService tm = timer;
      if (tm != null) {
        var unused =
            tm.schedule(
                () -> {
                  synchronized (this) {
                    if (waitGeneration == generation) {
                      expireWait();
                    }
                  }
                },
                ackTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
      }
      return;
    }
  }

  private boolean isAcked(Rollout.Step step) {
    StableSnapshot s = current.get();
    if (s == null) {
      return true;
    }
    for (String type : step.await()) {
      Map<String, String> wanted = wantedVersions(s, type);
      if (!(step.sentIsEnough() ? acks.allSent(type, wanted) : acks.allAcked(type, wanted))) {
        return false;
      }
    }
    return true;
  }

  /** Returns name → version of the resources of {@code type} in {@code s}. */
  private static Map<String, String> wantedVersions(StableSnapshot s, String type) {
    Map<String, String> wanted = new TreeMap<>();
    var resources =
        switch (type) {
          case AckTracker.CLUSTERS -> s.clusters().versionedResources();
          case AckTracker.LISTENERS -> s.listeners().versionedResources();
          case AckTracker.ENDPOINTS -> s.endpoints().versionedResources();
          default -> s.routes().versionedResources();
        };
    resources.forEach((n, r) -> wanted.put(n, r.version()));
    return wanted;
  }

  private void set(StableSnapshot snapshot, XdsResources resources) {
    StableSnapshot now = current.get();
    // Equal resources can still carry other endpoint versions: the step after a cluster update
    // re-sends
    // the endpoints of the changed clusters (see Rollout), with the same content.
    if (resources.equals(published)
        && now != null
        && now.endpoints().version().equals(snapshot.endpoints().version())) {
      return;
    }
    published = resources;
    current.set(snapshot);
    cache.setSnapshot(GROUP, snapshot);
    for (String type :
        List.of(
            AckTracker.CLUSTERS, AckTracker.LISTENERS, AckTracker.ROUTES, AckTracker.ENDPOINTS)) {
      acks.published(type, wantedVersions(snapshot, type));
    }
    log.debug("published snapshot clusters {}", snapshot.clusters().version());
  }

  private static void compare(
      String type, @Nullable String before, String after, Map<String, String> changed) {
    if (!after.equals(before)) {
      changed.put(type, after);
    }
  }
}
