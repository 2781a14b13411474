package io.gangway.server.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code EnvoyConnectionWatch} tells whether an Envoy is connected to the xDS server. A JVM that
 * serves config nobody fetches is not ready: after an {@code xds.port} change and a JVM-only
 * restart, the running Envoy still dials the old port and never receives an edit. Once no Envoy has
 * been connected for {@code bound}, {@code /status} says so ({@code envoyConnected: false}, {@code
 * ready: false}), {@code status.sh} exits 1, and one warning is logged (again after a reconnect and
 * a new loss). Polls once a second on a daemon thread; thread-safe.
 */
final class EnvoyConnectionWatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EnvoyConnectionWatch.class);

  private final IntSupplier streams;
  private final Duration bound;
  private final String xdsAddress;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "gangway-envoy-watch");
            t.setDaemon(true);
            return t;
          });
  private volatile @Nullable Instant disconnectedSince = Instant.now();
  private volatile boolean warned;

  EnvoyConnectionWatch(IntSupplier streams, Duration bound, String xdsAddress) {
    this.streams = streams;
    this.bound = bound;
    this.xdsAddress = xdsAddress;
  }

  void start() {
    var unused = timer.scheduleWithFixedDelay(this::checkSafely, 1, 1, TimeUnit.SECONDS);
  }

  /** Checks once (the timer calls this every second). */
  /**
   * Runs {@link #check}; a failure is logged and the next check still runs (a periodic task that
   * throws stops).
   */
  private void checkSafely() {
    try {
      check();
    } catch (RuntimeException e) {
      log.warn("Envoy connection check failed; retrying in 1 s", e);
    }
  }

  void check() {
    if (streams.getAsInt() > 0) {
      if (disconnectedSince != null && warned) {
        log.info("an Envoy is connected to xDS at {} again", xdsAddress);
      }
      disconnectedSince = null;
      warned = false;
      return;
    }
    Instant since = disconnectedSince;
    if (since == null) {
      disconnectedSince = since = Instant.now();
    }
    if (!warned && !connectedWithinBound(since)) {
      warned = true;
      log.warn(
          "no Envoy has been connected to xDS at {} for {} s: edits do not reach Envoy. If Envoy runs, its "
              + "bootstrap names another xDS address (xds.* changed?): restart both with bin/shutdown.sh && "
              + "bin/startup.sh",
          xdsAddress,
          bound.toSeconds());
    }
  }

  /** Returns whether an Envoy is connected, or was within the bound. */
  boolean ok() {
    Instant since = disconnectedSince;
    return since == null || connectedWithinBound(since);
  }

  private boolean connectedWithinBound(Instant since) {
    return Duration.between(since, Instant.now()).compareTo(bound) < 0;
  }

  /** Returns the state for {@code /status}. */
  Map<String, Object> status() {
    Map<String, Object> out = new LinkedHashMap<>();
    Instant since = disconnectedSince;
    out.put("envoyConnected", since == null);
    out.put("streams", streams.getAsInt());
    out.put("disconnectedSince", since == null ? null : since.toString());
    if (!ok()) {
      out.put(
          "problem",
          "no Envoy connected to xDS at "
              + xdsAddress
              + " for more than "
              + bound.toSeconds()
              + " s; edits do not reach Envoy");
    }
    return out;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
