package io.gangway.spi.registry;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code Endpoint} is one instance of a discovered service.
 *
 * @param address an IP literal (v4 or v6) or a host name
 * @param port the instance's own port
 * @param weight load-balancing weight, at least 1
 * @param metadata instance metadata (e.g. {@code protocol}), sorted for stable output
 */
public record Endpoint(String address, int port, int weight, Map<String, String> metadata)
    implements Comparable<Endpoint> {

  private static final Comparator<Endpoint> ORDER =
      Comparator.comparing(Endpoint::address).thenComparingInt(Endpoint::port);

  /** Validates the values and sorts the metadata. */
  public Endpoint {
    requireNonNull(address, "address");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
    }
    if (weight < 1) {
      throw new IllegalArgumentException("weight: " + weight + " (expected: >= 1)");
    }
    metadata = Map.copyOf(metadata);
  }

  /** Returns an endpoint with weight 1 and no metadata. */
  public static Endpoint of(String address, int port) {
    return new Endpoint(address, port, 1, Map.of());
  }

  /** Returns the metadata in key order. */
  public Map<String, String> sortedMetadata() {
    return new TreeMap<>(metadata);
  }

  @Override
  public int compareTo(Endpoint other) {
    return ORDER.compare(this, other);
  }
}
