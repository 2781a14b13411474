package io.gangway.server.xds;

import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.gangway.xds.Consistency;
import io.gangway.xds.XdsResources;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code SnapshotPublisher} is the only writer of the xDS cache. Every Envoy of this instance belongs
 * to one node group, so all get the same config. A snapshot that fails the consistency check (a
 * cluster without endpoints resource, a listener without its route table) is not published: Envoy
 * keeps the last good one. Thread-safe; the pipeline calls it from one thread.
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

  /** Returns the cache the discovery server reads from. */
  public SimpleCache<String> cache() {
    return cache;
  }

  /**
   * Publishes {@code resources}; returns the per-type versions that changed (empty when nothing did).
   *
   * @throws InconsistentSnapshotException when the resources reference each other inconsistently
   */
  public Map<String, String> publish(XdsResources resources) throws InconsistentSnapshotException {
    List<String> problems = Consistency.problems(resources);
    if (!problems.isEmpty()) {
      throw new InconsistentSnapshotException(String.join("; ", problems));
    }
    StableSnapshot next = new StableSnapshot(resources);
    StableSnapshot previous = current.get();
    Map<String, String> changed = new TreeMap<>();
    compare("listeners", previous == null ? null : previous.listeners().version(), next.listeners().version(), changed);
    compare("routes", previous == null ? null : previous.routes().version(), next.routes().version(), changed);
    compare("clusters", previous == null ? null : previous.clusters().version(), next.clusters().version(), changed);
    compare("endpoints", previous == null ? null : previous.endpoints().version(), next.endpoints().version(), changed);
    compare("secrets", previous == null ? null : previous.secrets().version(), next.secrets().version(), changed);
    if (changed.isEmpty()) {
      return changed;
    }
    current.set(next);
    cache.setSnapshot(GROUP, next);
    log.debug("published snapshot, changed types {}", changed);
    return changed;
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

  private static void compare(String type, @Nullable String before, String after, Map<String, String> changed) {
    if (!after.equals(before)) {
      changed.put(type, after);
    }
  }
}
