package io.gangway.server.registry;

import io.gangway.spi.registry.EndpointSet;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * {@code Slot} is the bookkeeping of one registry instance (one start of one McpBridge entry): what
 * it discovered, its health, and the endpoints it <em>inherited</em> and serves until its first
 * real listing, either persisted by the previous run or taken over from the instance it replaced.
 *
 * <p>The inherited endpoints are dropped only when the registry is ready (its first full listing is
 * complete) and not failing: DNS, for one, reports ready after a failed first round. Until then a
 * service the registry has published with instances replaces its inherited set; an empty answer
 * does not (a new instance cannot tell its adapter's "no instances yet" from "none"). Not
 * thread-safe: the manager guards every slot with its lock.
 */
final class Slot {

  /** Endpoints served until the registry's first real listing. */
  record Inherited(
      Map<String, EndpointSet> sets, String origin, Instant since, @Nullable Instant listedAt) {

    int endpoints() {
      return sets.values().stream().mapToInt(s -> s.endpoints().size()).sum();
    }
  }

  static final String PERSISTED = "persisted";
  static final String PREVIOUS = "previous configuration";

  final String key;
  final Map<String, EndpointSet> live = new TreeMap<>();
  @Nullable Inherited inherited;
  boolean ready;
  boolean failing;
  boolean closed;

  /**
   * {@code starting}, {@code ready}, {@code failing: ...}, {@code unavailable} or {@code failed:
   * ...}.
   */
  String state = "starting";

  Instant since = Instant.now();
  @Nullable String lastError;
  @Nullable Instant lastErrorAt;

  Slot(String key, @Nullable Inherited inherited) {
    this.key = key;
    this.inherited = inherited;
  }

  /** Returns the endpoints this registry serves: its own, over what it inherited. */
  Map<String, EndpointSet> view() {
    Inherited in = inherited;
    if (in == null) {
      return live;
    }
    Map<String, EndpointSet> out = new TreeMap<>(in.sets());
    live.forEach(
        (host, set) -> {
          EndpointSet old = out.get(host);
          if (!set.endpoints().isEmpty() || old == null || old.endpoints().isEmpty()) {
            out.put(host, set);
          }
        });
    return out;
  }

  /** Drops the inherited endpoints once the registry has really listed; returns whether it did. */
  boolean commitIfListed() {
    if (inherited == null || !ready || failing || closed) {
      return false;
    }
    inherited = null;
    return true;
  }

  /** Returns whether the registry's own listing is what is served (and may be persisted). */
  boolean listed() {
    return inherited == null && ready && !closed;
  }

  void setState(String next) {
    if (!next.equals(state)) {
      state = next;
      since = Instant.now();
    }
  }

  RegistryStatus status() {
    Map<String, EndpointSet> v = view();
    int endpoints = v.values().stream().mapToInt(s -> s.endpoints().size()).sum();
    Inherited in = inherited;
    String shown = state;
    String from = "registry";
    Instant at = since;
    if (in != null && !state.equals("unavailable")) {
      from = in.origin();
      at = in.since();
      String what =
          in.origin().equals(PERSISTED)
              ? in.endpoints() + " persisted endpoints"
              : in.endpoints() + " endpoints of the previous configuration";
      shown =
          "stale: serving "
              + what
              + " since "
              + in.since()
              + " until the registry lists successfully"
              + (state.equals("starting") ? "" : " (registry " + state + ")");
    }
    return new RegistryStatus(
        shown,
        at.toString(),
        lastError,
        lastErrorAt == null ? null : lastErrorAt.toString(),
        from,
        in == null || in.listedAt() == null ? null : in.listedAt().toString(),
        v.size(),
        endpoints,
        java.util.List.of());
  }
}
