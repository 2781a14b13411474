package io.gangway.xds;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * {@code UpstreamDefaults} are the operator-owned resilience defaults every route and cluster gets
 * (from {@code upstream:} in {@code conf/gangway.yaml}): a retry on failures that never reached the
 * application (connect failure, refused stream, a reset before the request was sent), so they are
 * safe for every method, sent to another endpoint; and passive outlier detection, which ejects an
 * endpoint after consecutive gateway errors (connect failures, resets, 502/503/504) for a while.
 * Retries live in RDS and outlier detection in CDS, so neither touches a listener.
 *
 * @param retries retries per request on {@code retryOn} conditions; 0 disables the retry policy
 * @param retryOn Envoy {@code retry_on} conditions, comma-separated
 * @param outlierDetection whether passive outlier detection is on
 * @param consecutiveGatewayErrors gateway errors in a row that eject an endpoint
 * @param interval how often ejections are evaluated
 * @param baseEjectionTime how long a first ejection lasts (longer for repeated ones)
 * @param maxEjectionPercent at most this share of a cluster's endpoints is ejected at once, so a
 *     cluster whose endpoints all fail keeps sending to some of them rather than to none
 */
public record UpstreamDefaults(
    int retries,
    String retryOn,
    boolean outlierDetection,
    int consecutiveGatewayErrors,
    Duration interval,
    Duration baseEjectionTime,
    int maxEjectionPercent) {

  /**
   * The retry conditions that are safe for every method: the request never reached the application.
   */
  public static final List<String> SAFE_RETRY_ON =
      List.of("connect-failure", "refused-stream", "reset-before-request");

  /** Validates all parts. */
  public UpstreamDefaults {
    requireNonNull(retryOn, "retryOn");
    requireNonNull(interval, "interval");
    requireNonNull(baseEjectionTime, "baseEjectionTime");
    if (retries < 0 || retries > 10) {
      throw new IllegalArgumentException("upstream.retries: " + retries + " (expected: 0-10)");
    }
    if (consecutiveGatewayErrors < 1) {
      throw new IllegalArgumentException(
          "upstream.outlierDetection.consecutiveGatewayErrors: "
              + consecutiveGatewayErrors
              + " (expected: >= 1)");
    }
    if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
      throw new IllegalArgumentException(
          "upstream.outlierDetection.maxEjectionPercent: "
              + maxEjectionPercent
              + " (expected: 0-100)");
    }
  }

  /**
   * Returns the documented defaults: 2 safe retries, ejection after 3 gateway errors for 30 s, at
   * most 50 %.
   */
  public static UpstreamDefaults defaults() {
    return new UpstreamDefaults(
        2,
        String.join(",", SAFE_RETRY_ON),
        true,
        3,
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        50);
  }

  /** Returns no retries and no outlier detection (Envoy's own behaviour). */
  public static UpstreamDefaults none() {
    return new UpstreamDefaults(0, "", false, 3, Duration.ofSeconds(5), Duration.ofSeconds(30), 50);
  }
}
