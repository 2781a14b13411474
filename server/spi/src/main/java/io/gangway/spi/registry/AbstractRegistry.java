package io.gangway.spi.registry;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * {@code AbstractRegistry} owns the bookkeeping every adapter needs, so adapters only fetch and
 * publish: it sorts and de-duplicates endpoints, stays silent when nothing changed, refuses to wipe
 * a service because of an empty answer (unless the adapter says the answer is authoritative), and
 * runs the start/close state machine.
 *
 * <p>Thread-safety: {@link #publish}, {@link #remove} and {@link #reportError} may be called from
 * any thread; they are serialised on this object.
 */
public abstract class AbstractRegistry implements Registry {

  private enum State {
    LATENT,
    STARTED,
    CLOSED
  }

  private final RegistryConfig config;
  private final AtomicReference<State> state = new AtomicReference<>(State.LATENT);
  private final Map<String, EndpointSet> published = new HashMap<>();
  private @Nullable EndpointListener listener;
  private boolean failing;
  // Restart grace (see registryRestarted): until graceUntilNanos, empty answers for hosts with
  // endpoints
  // are held back; held maps each such host to the answer it would otherwise have published.
  private long graceUntilNanos = System.nanoTime();
  private boolean graceActive;
  private final Map<String, EndpointSet> held = new java.util.TreeMap<>();
  private long lastErrorNanos = System.nanoTime() - 1;

  protected AbstractRegistry(RegistryConfig config) {
    this.config = requireNonNull(config, "config");
  }

  /** Returns the configuration this registry was created from. */
  protected final RegistryConfig config() {
    return config;
  }

  @Override
  public final void start(EndpointListener listener) {
    if (!state.compareAndSet(State.LATENT, State.STARTED)) {
      throw new IllegalStateException("Already started: " + config.key());
    }
    synchronized (this) {
      this.listener = requireNonNull(listener, "listener");
    }
    doStart();
  }

  @Override
  public final void close() {
    State previous;
    // Under the monitor: a publish or markReady in progress finishes first, and none is delivered
    // after
    // close() returns. doClose() runs outside it, since it may wait for threads that publish.
    synchronized (this) {
      previous = state.getAndSet(State.CLOSED);
    }
    if (previous == State.STARTED) {
      doClose();
    }
  }

  /**
   * Returns a single-thread scheduler on a daemon thread named {@code name}, for adapters that poll
   * or reconnect: a daemon thread never holds the process open, and one thread keeps an adapter's
   * state changes in order. The adapter shuts it down in {@link #doClose()}.
   */
  protected static java.util.concurrent.ScheduledExecutorService newScheduler(String name) {
    return java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, name);
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * Begins fetching; called once. Must not block for long: schedule work on the adapter's threads.
   */
  protected abstract void doStart();

  /** Releases the adapter's threads and connections; called at most once. */
  protected void doClose() {}

  /**
   * Publishes the current instances of {@code host}. An empty list is ignored when the service had
   * instances, unless {@code authoritative} says the registry really has none (a deregistration
   * rather than an outage or a partial answer).
   */
  protected final synchronized void publish(
      String host, List<Endpoint> endpoints, boolean authoritative) {
    if (state.get() != State.STARTED || listener == null) {
      return;
    }
    EndpointSet next = new EndpointSet(host, endpoints);
    EndpointSet previous = published.get(host);
    if (next.equals(previous)) {
      return;
    }
    if (next.endpoints().isEmpty()
        && previous != null
        && (!authoritative || keepStaleWhenEmpty())) {
      return;
    }
    if (heldDuringRestartGrace(next, previous)) {
      return;
    }
    published.put(host, next);
    recovered();
    listener.onEndpoints(config.key(), next);
  }

  /**
   * Returns the registry's {@code keepStaleWhenEmpty} setting (Higress's flag of that name, per
   * registry here): when true, even an authoritative empty answer keeps the last known endpoints,
   * for registries that briefly answer empty while healthy.
   */
  private boolean keepStaleWhenEmpty() {
    return Boolean.parseBoolean(config.string("keepStaleWhenEmpty", "false"));
  }

  /** Reports that {@code host} no longer exists in the registry. */
  protected final synchronized void remove(String host) {
    held.remove(host);
    if (state.get() == State.STARTED && listener != null && published.remove(host) != null) {
      listener.onServiceRemoved(config.key(), host);
    }
  }

  /** Reports that the first full listing is complete. */
  protected final synchronized void markReady() {
    if (state.get() == State.STARTED && listener != null) {
      listener.onReady(config.key());
    }
  }

  /** Reports a failure to reach the registry; logged by the listener once per state change. */
  protected final synchronized void reportError(Throwable cause) {
    lastErrorNanos = System.nanoTime();
    if (!failing && state.get() == State.STARTED && listener != null) {
      failing = true;
      listener.onError(config.key(), cause);
    }
  }

  /**
   * Reports that the registry is reachable again, so that the next failure is reported again even
   * when the recovery changed no endpoint (a publish that changes something implies this).
   */
  protected final synchronized void markHealthy() {
    recovered();
  }

  /**
   * Like {@link #markHealthy()}, for the answer to a request that started at {@code
   * requestStartedNanos} ({@link System#nanoTime()}): an answer to a request issued before the last
   * reported error (a long poll or blocking query still in flight when the registry went away) does
   * not prove recovery.
   */
  protected final synchronized void markHealthy(long requestStartedNanos) {
    if (requestStartedNanos - lastErrorNanos > 0) {
      recovered();
    }
  }

  private void recovered() {
    if (failing) {
      failing = false;
      startRestartGrace("recovered after a failure");
      if (state.get() == State.STARTED && listener != null) {
        listener.onRecovered(config.key());
      }
    }
  }

  // ---- restart grace ----

  // spi has no logging dependency; System.Logger reaches the application's logging backend.
  private static final System.Logger GRACE_LOG = System.getLogger(AbstractRegistry.class.getName());
  private static final java.util.concurrent.ScheduledExecutorService GRACE_TIMER =
      newScheduler("gangway-registry-grace");

  /**
   * The {@code restartGraceSeconds} default: long enough for TTL checks and re-registrations to
   * return.
   */
  public static final long DEFAULT_RESTART_GRACE_SECONDS = 60;

  /**
   * Tells the registry that its server restarted or reset its index (Consul's {@code
   * X-Consul-Index} went backwards, an agent came back empty): for {@code restartGraceSeconds} an
   * empty answer for a service that has endpoints keeps the last known ones, because a restarted
   * server restores health checks as critical and loses dev-mode registrations until clients
   * re-register. After the grace a still-empty answer applies. The same grace starts when the
   * registry recovers after a failure.
   */
  protected final synchronized void registryRestarted(String why) {
    startRestartGrace(why);
  }

  /**
   * Returns the hosts whose empty answers are held back by the restart grace, with the answer each
   * will get when the grace ends (empty lists): a state the registry manager shows in status.
   */
  public final synchronized Map<String, EndpointSet> heldByRestartGrace() {
    return Map.copyOf(held);
  }

  /**
   * Returns the {@code restartGraceSeconds} setting in milliseconds (0 turns the grace off); {@code
   * restartGraceMillis} is a test-only override, not a Higress field.
   */
  private long restartGraceMillis() {
    String raw = config.string("restartGraceMillis", null);
    if (raw != null) {
      return Math.max(0, Long.parseLong(raw.trim()));
    }
    String seconds =
        config.string("restartGraceSeconds", Long.toString(DEFAULT_RESTART_GRACE_SECONDS));
    try {
      return Math.max(0, Long.parseLong(seconds.trim())) * 1000;
    } catch (NumberFormatException e) {
      GRACE_LOG.log(
          System.Logger.Level.WARNING,
          "registry {0}: restartGraceSeconds: \"{1}\" is not an integer; using {2}",
          config.key(),
          seconds,
          DEFAULT_RESTART_GRACE_SECONDS);
      return DEFAULT_RESTART_GRACE_SECONDS * 1000;
    }
  }

  private void startRestartGrace(String why) {
    long millis = restartGraceMillis();
    if (millis <= 0 || state.get() != State.STARTED || published.isEmpty()) {
      return;
    }
    graceUntilNanos = System.nanoTime() + millis * 1_000_000;
    graceActive = true;
    GRACE_LOG.log(
        System.Logger.Level.INFO,
        "registry {0}: {1}; for {2} ms an empty answer keeps the last known endpoints of a service",
        config.key(),
        why,
        Long.toString(millis));
    long until = graceUntilNanos;
    java.util.concurrent.Future<?> unused =
        GRACE_TIMER.schedule(
            () -> endRestartGrace(until), millis, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  /**
   * Whether {@code next} (an empty answer) must wait for the end of the restart grace; records it.
   */
  private boolean heldDuringRestartGrace(EndpointSet next, @Nullable EndpointSet previous) {
    if (!next.endpoints().isEmpty() || previous == null || previous.endpoints().isEmpty()) {
      held.remove(next.host());
      return false;
    }
    if (failing) {
      recovered(); // an answer after a failure is a recovery: it starts the grace
    }
    if (!graceActive || System.nanoTime() - graceUntilNanos >= 0) {
      held.remove(next.host());
      return false;
    }
    if (held.put(next.host(), next) == null) {
      GRACE_LOG.log(
          System.Logger.Level.WARNING,
          "registry {0}: {1} answers empty right after a registry restart or recovery; keeping its {2} last known "
              + "endpoint(s) until the grace period ends",
          config.key(),
          next.host(),
          previous.endpoints().size());
    }
    return true;
  }

  private synchronized void endRestartGrace(long until) {
    if (!graceActive || until != graceUntilNanos) {
      return; // a later restart extended the grace
    }
    graceActive = false;
    if (state.get() != State.STARTED || listener == null) {
      held.clear();
      return;
    }
    for (EndpointSet set : List.copyOf(held.values())) {
      GRACE_LOG.log(
          System.Logger.Level.WARNING,
          "registry {0}: {1} still answers empty after the restart grace; publishing it empty",
          config.key(),
          set.host());
      published.put(set.host(), set);
      listener.onEndpoints(config.key(), set);
    }
    held.clear();
  }
}
