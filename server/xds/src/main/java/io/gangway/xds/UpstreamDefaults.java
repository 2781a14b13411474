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
 * @param healthChecks optional active health checks, each for the clusters whose service host
 *     matches its pattern; the first matching one applies
 * @param idempotentResetRetry whether requests of idempotent methods are also retried when the
 *     connection is reset after the request was sent (the keep-alive close race), as nginx does
 */
public record UpstreamDefaults(
    int retries,
    String retryOn,
    boolean outlierDetection,
    int consecutiveGatewayErrors,
    Duration interval,
    Duration baseEjectionTime,
    int maxEjectionPercent,
    List<HealthCheck> healthChecks,
    boolean idempotentResetRetry) {

  /**
   * The retry conditions that are safe for every method: the request never reached the application.
   */
  public static final List<String> SAFE_RETRY_ON =
      List.of("connect-failure", "refused-stream", "reset-before-request");

  /**
   * {@code HealthCheck} is one active HTTP health check: Envoy asks every endpoint of the matching
   * clusters for {@code path} and sends no traffic to an endpoint that failed it {@code
   * unhealthyThreshold} times in a row, until it passed {@code healthyThreshold} times. This
   * catches what passive ejection cannot: an endpoint that accepts connections but answers every
   * request with an application error (a 500 is the application's answer and never ejects).
   *
   * @param hosts service hosts it applies to: {@code *} matches any run of characters, so {@code
   *     *.static} is every static registry and {@code orders.DEFAULT-GROUP.public.nacos} one
   *     service
   * @param path the request path; 200-299 is healthy
   * @param interval time between checks of one endpoint
   * @param timeout how long one check may take
   * @param unhealthyThreshold failed checks in a row that mark an endpoint unhealthy
   * @param healthyThreshold passed checks in a row that mark it healthy again
   */
  public record HealthCheck(
      String hosts,
      String path,
      Duration interval,
      Duration timeout,
      int unhealthyThreshold,
      int healthyThreshold) {

    /** Validates the parts. */
    public HealthCheck {
      requireNonNull(hosts, "hosts");
      requireNonNull(path, "path");
      requireNonNull(interval, "interval");
      requireNonNull(timeout, "timeout");
      if (hosts.isEmpty()) {
        throw new IllegalArgumentException(
            "upstream.healthChecks[].hosts: '' (expected: a service host or pattern)");
      }
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException(
            "upstream.healthChecks[].path: " + path + " (expected: a path starting with /)");
      }
      if (interval.isZero() || interval.isNegative() || timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException(
            "upstream.healthChecks[].interval/timeout: "
                + interval
                + "/"
                + timeout
                + " (expected: both > 0)");
      }
      if (unhealthyThreshold < 1 || healthyThreshold < 1) {
        throw new IllegalArgumentException(
            "upstream.healthChecks[].unhealthyThreshold/healthyThreshold: "
                + unhealthyThreshold
                + "/"
                + healthyThreshold
                + " (expected: >= 1)");
      }
    }

    /** Returns whether this check applies to the cluster of {@code serviceHost}. */
    public boolean matches(String serviceHost) {
      StringBuilder regex = new StringBuilder();
      String[] parts = hosts.split("\\*", -1);
      for (int i = 0; i < parts.length; i++) {
        regex.append(i == 0 ? "" : ".*").append(java.util.regex.Pattern.quote(parts[i]));
      }
      return java.util.regex.Pattern.matches(regex.toString(), serviceHost);
    }
  }

  /** Validates all parts. */
  public UpstreamDefaults {
    healthChecks = List.copyOf(healthChecks);
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

  /** Returns these defaults with the retry of idempotent requests on a reset. */
  public UpstreamDefaults(
      int retries,
      String retryOn,
      boolean outlierDetection,
      int consecutiveGatewayErrors,
      Duration interval,
      Duration baseEjectionTime,
      int maxEjectionPercent,
      List<HealthCheck> healthChecks) {
    this(
        retries,
        retryOn,
        outlierDetection,
        consecutiveGatewayErrors,
        interval,
        baseEjectionTime,
        maxEjectionPercent,
        healthChecks,
        true);
  }

  /** Returns these defaults without active health checks. */
  public UpstreamDefaults(
      int retries,
      String retryOn,
      boolean outlierDetection,
      int consecutiveGatewayErrors,
      Duration interval,
      Duration baseEjectionTime,
      int maxEjectionPercent) {
    this(
        retries,
        retryOn,
        outlierDetection,
        consecutiveGatewayErrors,
        interval,
        baseEjectionTime,
        maxEjectionPercent,
        List.of());
  }

  /**
   * Returns the documented defaults: 2 safe retries (idempotent requests also on a reset), ejection
   * after 3 gateway errors for 30 s, at most 50 %.
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
    return new UpstreamDefaults(
        0, "", false, 3, Duration.ofSeconds(5), Duration.ofSeconds(30), 50, List.of(), false);
  }
}
