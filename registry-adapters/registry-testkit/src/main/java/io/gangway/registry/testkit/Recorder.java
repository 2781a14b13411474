package io.gangway.registry.testkit;

import io.gangway.spi.registry.Endpoint;
import io.gangway.spi.registry.EndpointListener;
import io.gangway.spi.registry.EndpointSet;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * {@code Recorder} is an {@link EndpointListener} that keeps every callback with its arrival time,
 * the current endpoints per host, and lets tests wait for a callback after a given time (Consul and
 * Eureka tests; {@link RecordingListener} serves the contract suite). Thread-safe.
 */
public final class Recorder implements EndpointListener {

  /** One callback: kind is {@code endpoints}, {@code removed}, {@code ready} or {@code error}. */
  public record Event(
      long nanos, String kind, String host, @Nullable EndpointSet set, @Nullable Throwable error) {}

  private final List<Event> events = new CopyOnWriteArrayList<>();
  private final Map<String, EndpointSet> current = new ConcurrentHashMap<>();

  @Override
  public void onEndpoints(String registryKey, EndpointSet set) {
    current.put(set.host(), set);
    events.add(new Event(System.nanoTime(), "endpoints", set.host(), set, null));
  }

  @Override
  public void onServiceRemoved(String registryKey, String host) {
    current.remove(host);
    events.add(new Event(System.nanoTime(), "removed", host, null, null));
  }

  @Override
  public void onReady(String registryKey) {
    events.add(new Event(System.nanoTime(), "ready", "", null, null));
  }

  @Override
  public void onError(String registryKey, Throwable cause) {
    events.add(new Event(System.nanoTime(), "error", "", null, cause));
  }

  public List<Event> events() {
    return List.copyOf(events);
  }

  public List<Event> events(String kind) {
    return events.stream().filter(e -> e.kind().equals(kind)).toList();
  }

  /**
   * Returns the current endpoints of {@code host} as sorted {@code address:port} strings, or null
   * if unknown.
   */
  public @Nullable List<String> addresses(String host) {
    EndpointSet set = current.get(host);
    return set == null
        ? null
        : set.endpoints().stream().map(e -> e.address() + ":" + e.port()).toList();
  }

  public @Nullable EndpointSet current(String host) {
    return current.get(host);
  }

  /**
   * Waits for the first event at or after {@code since} (nanoTime) that matches; fails after {@code
   * timeout}.
   */
  public Event await(long since, Duration timeout, String what, Predicate<Event> match)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (Event e : events) {
        if (e.nanos() >= since && match.test(e)) {
          return e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "timed out after " + timeout + " waiting for " + what + "; events: " + summary());
      }
      Thread.sleep(2);
    }
  }

  /**
   * Waits until {@code host} is published with exactly {@code expected} ({@code address:port}, any
   * order).
   */
  public Event awaitAddresses(long since, Duration timeout, String host, List<String> expected)
      throws InterruptedException {
    List<String> sorted = expected.stream().sorted().toList();
    return await(
        since,
        timeout,
        host + " = " + sorted,
        e ->
            e.kind().equals("endpoints")
                && e.host().equals(host)
                && e.set() != null
                && e.set().endpoints().stream()
                    .map(x -> x.address() + ":" + x.port())
                    .sorted()
                    .toList()
                    .equals(sorted));
  }

  public Event awaitReady(Duration timeout) throws InterruptedException {
    return await(0, timeout, "ready", e -> e.kind().equals("ready"));
  }

  public static String describe(Endpoint e) {
    return e.address() + ":" + e.port() + e.sortedMetadata();
  }

  public String summary() {
    StringBuilder sb = new StringBuilder();
    for (Event e : events) {
      sb.append("\n  ").append(e.kind()).append(' ').append(e.host());
      if (e.set() != null) {
        sb.append(' ').append(e.set().endpoints().stream().map(Recorder::describe).toList());
      }
      if (e.error() != null) {
        sb.append(' ').append(e.error().getMessage());
      }
    }
    return sb.toString();
  }
}
