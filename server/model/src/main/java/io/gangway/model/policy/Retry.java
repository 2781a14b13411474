package io.gangway.model.policy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * {@code Retry} is a route's retry policy from the {@code proxy-next-upstream*} annotations, as
 * Higress's {@code retry.go} reads them: what to retry on, how often, and how long each try may
 * take. It replaces the gateway's safe default retries for the route.
 *
 * @param retries retries after the first try ({@code proxy-next-upstream-tries}, as Higress passes
 *     it to Envoy's {@code num_retries}); 0 means no retry at all ({@code off})
 * @param onServerError retry on any 5xx answer, reset or timeout ({@code error}, {@code timeout},
 *     {@code invalid_header}, or no condition given)
 * @param statusCodes retry on these answers ({@code http_NNN}), ascending
 * @param nonIdempotent {@code non_idempotent} was given; Envoy retries every method anyway
 * @param perTryTimeout bound of each try ({@code proxy-next-upstream-timeout}); zero for none
 */
public record Retry(
    int retries,
    boolean onServerError,
    List<Integer> statusCodes,
    boolean nonIdempotent,
    Duration perTryTimeout)
    implements Policy {

  /** Validates and copies the parts. */
  public Retry {
    requireNonNull(statusCodes, "statusCodes");
    requireNonNull(perTryTimeout, "perTryTimeout");
    statusCodes = statusCodes.stream().sorted().distinct().toList();
    if (retries < 0) {
      throw new IllegalArgumentException("retries: " + retries + " (expected: >= 0)");
    }
    if (perTryTimeout.isNegative()) {
      throw new IllegalArgumentException("perTryTimeout: " + perTryTimeout + " (expected: >= 0)");
    }
  }

  /** Returns whether the route does not retry at all. */
  public boolean off() {
    return retries == 0;
  }
}
