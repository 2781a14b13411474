package io.gangway.registry.testkit;

import static java.util.Objects.requireNonNull;

import io.gangway.spi.registry.Endpoint;
import io.gangway.spi.registry.EndpointListener;
import io.gangway.spi.registry.EndpointSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code RecordingListener} is an {@link EndpointListener} that records every callback with the
 * {@link System#nanoTime()} it arrived at, keeps the current view per host, and lets a test wait
 * for a condition with a deadline.
 *
 * <p>Thread-safety: callbacks may come from any registry thread; every method is serialised on this
 * object, and the {@code await*} methods block the calling test thread only.
 */
public final class RecordingListener implements EndpointListener {

  /** The kinds of callback. */
  public enum Kind {
    ENDPOINTS,
    REMOVED,
    READY,
    ERROR
  }

  /**
   * {@code Event} is one recorded callback.
   *
   * @param nanos {@link System#nanoTime()} at arrival
   * @param kind which callback
   * @param host the service host, or {@code ""} for READY and ERROR
   * @param set the published list, for ENDPOINTS only
   * @param error the reported cause, for ERROR only
   */
  public record Event(
      long nanos, Kind kind, String host, @Nullable EndpointSet set, @Nullable Throwable error) {

    @Override
    public String toString() {
      return switch (kind) {
        case ENDPOINTS -> "endpoints " + host + " " + addresses(requireNonNull(set));
        case REMOVED -> "removed " + host;
        case READY -> "ready";
        case ERROR -> "error " + error;
      };
    }
  }

  private final List<Event> events = new ArrayList<>();
  private final Map<String, EndpointSet> current = new HashMap<>();

  /** Returns {@code address:port} of each endpoint, in the set's order (IPv6 in brackets). */
  public static List<String> addresses(EndpointSet set) {
    return set.endpoints().stream().map(RecordingListener::address).toList();
  }

  /** Returns {@code address:port}, IPv6 in brackets. */
  public static String address(Endpoint e) {
    return (e.address().contains(":") ? "[" + e.address() + "]" : e.address()) + ":" + e.port();
  }

  @Override
  public synchronized void onEndpoints(String registryKey, EndpointSet set) {
    current.put(set.host(), set);
    record(new Event(System.nanoTime(), Kind.ENDPOINTS, set.host(), set, null));
  }

  @Override
  public synchronized void onServiceRemoved(String registryKey, String host) {
    current.remove(host);
    record(new Event(System.nanoTime(), Kind.REMOVED, host, null, null));
  }

  @Override
  public synchronized void onReady(String registryKey) {
    record(new Event(System.nanoTime(), Kind.READY, "", null, null));
  }

  @Override
  public synchronized void onError(String registryKey, Throwable cause) {
    record(new Event(System.nanoTime(), Kind.ERROR, "", null, cause));
  }

  /** Returns a copy of every event so far, in arrival order. */
  public synchronized List<Event> events() {
    return List.copyOf(events);
  }

  /** Returns the events of one kind, in arrival order. */
  public synchronized List<Event> events(Kind kind) {
    return events.stream().filter(e -> e.kind() == kind).toList();
  }

  /** Returns the last published list of {@code host}, or empty when never published or removed. */
  public synchronized Optional<EndpointSet> current(String host) {
    return Optional.ofNullable(current.get(host));
  }

  /**
   * Returns {@code address:port} of the current endpoints of {@code host}; empty when none or
   * removed.
   */
  public synchronized List<String> currentAddresses(String host) {
    return current(host).map(RecordingListener::addresses).orElse(List.of());
  }

  /**
   * Waits until {@code host}'s current endpoints are exactly {@code expected} ({@code
   * address:port}, any order; an empty list also matches a host that was removed or never
   * published) and returns the event that set that state (a synthetic READY event when no event for
   * the host exists).
   */
  public Event awaitAddresses(String host, List<String> expected, Duration timeout) {
    List<String> want = expected.stream().sorted().toList();
    return await(
        host + " = " + want,
        () ->
            currentAddressesLocked(host).equals(want)
                ? Optional.of(lastFor(host))
                : Optional.empty(),
        timeout);
  }

  /**
   * Waits until at least {@code count} events of {@code kind} arrived and returns the {@code
   * count}-th.
   */
  public Event awaitCount(Kind kind, int count, Duration timeout) {
    return await(
        count + " x " + kind,
        () -> {
          List<Event> matching = events.stream().filter(e -> e.kind() == kind).toList();
          return matching.size() >= count ? Optional.of(matching.get(count - 1)) : Optional.empty();
        },
        timeout);
  }

  private synchronized Event await(String what, Supplier<Optional<Event>> probe, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<Event> hit = probe.get();
      if (hit.isPresent()) {
        return hit.get();
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError(
            "timed out after "
                + timeout.toMillis()
                + " ms waiting for "
                + what
                + "; events: "
                + events);
      }
      try {
        wait(Math.max(1, left / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what, e);
      }
    }
  }

  private Event lastFor(String host) {
    for (int i = events.size() - 1; i >= 0; i--) {
      if (events.get(i).host().equals(host)) {
        return events.get(i);
      }
    }
    return new Event(System.nanoTime(), Kind.READY, "", null, null);
  }

  private List<String> currentAddressesLocked(String host) {
    EndpointSet set = current.get(host);
    return set == null ? List.of() : addresses(set).stream().sorted().toList();
  }

  private void record(Event e) {
    events.add(e);
    notifyAll();
  }
}
