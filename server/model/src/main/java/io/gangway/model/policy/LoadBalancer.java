package io.gangway.model.policy;

import static java.util.Objects.requireNonNull;

/**
 * {@code LoadBalancer} is how a cluster picks one of its endpoints (service scope: the {@code
 * load-balance}, {@code upstream-hash-by} and {@code affinity} annotations of the oldest Ingress
 * that uses the cluster). A {@link Algorithm#CONSISTENT_HASH} cluster hashes what the routes'
 * {@link RequestHash} names.
 *
 * @param algorithm the endpoint picker
 */
public record LoadBalancer(Algorithm algorithm) implements Policy {

  /** The algorithms, by their Higress ({@code SimpleLB}) names. */
  public enum Algorithm {
    ROUND_ROBIN,
    LEAST_CONN,
    RANDOM,
    CONSISTENT_HASH
  }

  /** Validates the algorithm. */
  public LoadBalancer {
    requireNonNull(algorithm, "algorithm");
  }

  /** Returns {@code LoadBalancer[<algorithm>]}. */
  @Override
  public String toString() {
    return "LoadBalancer[" + algorithm.name().toLowerCase(java.util.Locale.ROOT) + "]";
  }
}
