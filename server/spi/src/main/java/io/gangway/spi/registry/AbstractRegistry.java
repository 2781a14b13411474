package io.gangway.spi.registry;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * {@code AbstractRegistry} owns the bookkeeping every adapter needs, so adapters only fetch and
 * publish: it sorts and de-duplicates endpoints, stays silent when nothing changed, refuses to wipe a
 * service because of an empty answer (unless the adapter says the answer is authoritative), and runs
 * the start/close state machine.
 *
 * <p>Thread-safety: {@link #publish}, {@link #remove} and {@link #reportError} may be called from any
 * thread; they are serialised on this object.
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
    if (state.getAndSet(State.CLOSED) == State.STARTED) {
      doClose();
    }
  }

  /**
   * Returns a single-thread scheduler on a daemon thread named {@code name}, for adapters that poll or
   * reconnect: a daemon thread never holds the process open, and one thread keeps an adapter's state
   * changes in order. The adapter shuts it down in {@link #doClose()}.
   */
  protected static java.util.concurrent.ScheduledExecutorService newScheduler(String name) {
    return java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /** Begins fetching; called once. Must not block for long: schedule work on the adapter's threads. */
  protected abstract void doStart();

  /** Releases the adapter's threads and connections; called at most once. */
  protected void doClose() {}

  /**
   * Publishes the current instances of {@code host}. An empty list is ignored when the service had
   * instances, unless {@code authoritative} says the registry really has none (a deregistration rather
   * than an outage or a partial answer).
   */
  protected final synchronized void publish(String host, List<Endpoint> endpoints, boolean authoritative) {
    if (state.get() != State.STARTED || listener == null) {
      return;
    }
    EndpointSet next = new EndpointSet(host, endpoints);
    EndpointSet previous = published.get(host);
    if (next.equals(previous)) {
      return;
    }
    if (next.endpoints().isEmpty() && previous != null && (!authoritative || keepStaleWhenEmpty())) {
      return;
    }
    published.put(host, next);
    recovered();
    listener.onEndpoints(config.key(), next);
  }

  /**
   * Returns the registry's {@code keepStaleWhenEmpty} setting (Higress's flag of that name, per
   * registry here): when true, even an authoritative empty answer keeps the last known endpoints, for
   * registries that briefly answer empty while healthy.
   */
  private boolean keepStaleWhenEmpty() {
    return Boolean.parseBoolean(config.string("keepStaleWhenEmpty", "false"));
  }

  /** Reports that {@code host} no longer exists in the registry. */
  protected final synchronized void remove(String host) {
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
   * Like {@link #markHealthy()}, for the answer to a request that started at {@code requestStartedNanos}
   * ({@link System#nanoTime()}): an answer to a request issued before the last reported error (a long
   * poll or blocking query still in flight when the registry went away) does not prove recovery.
   */
  protected final synchronized void markHealthy(long requestStartedNanos) {
    if (requestStartedNanos - lastErrorNanos > 0) {
      recovered();
    }
  }

  private void recovered() {
    if (failing) {
      failing = false;
      if (state.get() == State.STARTED && listener != null) {
        listener.onRecovered(config.key());
      }
    }
  }
}
