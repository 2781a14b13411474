package io.gangway.model.policy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * {@code RequestTimeout} bounds a whole request, retries included, on a route ({@code
 * higress.io/timeout}): past it Envoy answers {@code 504}. Routes without it have no route timeout.
 *
 * @param timeout positive; whole seconds, as the annotation is written
 */
public record RequestTimeout(Duration timeout) implements Policy {

  /** Validates the timeout. */
  public RequestTimeout {
    requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: positive)");
    }
  }

  /** Returns a timeout of {@code seconds}. */
  public static RequestTimeout ofSeconds(long seconds) {
    return new RequestTimeout(Duration.ofSeconds(seconds));
  }
}
