package io.gangway.model;

import static java.util.Objects.requireNonNull;

/**
 * {@code Destination} is one weighted backend of a route.
 *
 * @param cluster the name of a {@link ClusterSpec} in the model
 * @param weight share of traffic, 0-100; the weights of one route add up to 100
 */
public record Destination(String cluster, int weight) {

  /** Validates the values. */
  public Destination {
    requireNonNull(cluster, "cluster");
    if (weight < 0 || weight > 100) {
      throw new IllegalArgumentException("weight: " + weight + " (expected: 0-100)");
    }
  }
}
