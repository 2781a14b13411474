package io.gangway.registry.consul;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code Backoff} gives retry delays after consecutive failures: {@code base·2^n}, capped, with ±20
 * % jitter so that many watches do not retry in lockstep. Immutable.
 */
record Backoff(Duration base, Duration max) {

  /**
   * Retry delays for a registry whose catalog refresh is {@code refresh}: 500 ms doubling, at most
   * the refresh.
   */
  static Backoff forRefresh(Duration refresh) {
    Duration max = refresh.compareTo(Duration.ofSeconds(30)) < 0 ? refresh : Duration.ofSeconds(30);
    Duration base = max.compareTo(Duration.ofMillis(500)) < 0 ? max : Duration.ofMillis(500);
    return new Backoff(base, max);
  }

  /** Returns the delay in milliseconds after {@code failures} earlier consecutive failures. */
  long delay(int failures) {
    long d = base.toMillis() << Math.min(failures, 16);
    d = Math.min(d, max.toMillis());
    double jitter = 0.8 + 0.4 * ThreadLocalRandom.current().nextDouble();
    return Math.max(1, (long) (d * jitter));
  }
}
