package io.gangway.ingress.annotation;

import io.gangway.model.policy.RequestTimeout;
import io.gangway.model.policy.Retry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code TimeoutRetryFamily} reads the timeout and retry annotations as Higress's {@code
 * timeout.go} and {@code retry.go}: {@code higress.io/timeout} (whole seconds, 0 = none) becomes a
 * {@link RequestTimeout}; any valid {@code proxy-next-upstream}, {@code -tries} or {@code -timeout}
 * makes a {@link Retry} with Higress's defaults for the others (3 retries on {@code 5xx}, no
 * per-try timeout). ingress-nginx's {@code proxy-connect|read|send-timeout} are declared but
 * ignored with a warning, as Higress ignores them.
 */
final class TimeoutRetryFamily implements AnnotationFamily {

  static final AnnotationKey TIMEOUT = AnnotationKey.higress("timeout");
  static final AnnotationKey NEXT_UPSTREAM = AnnotationKey.of("proxy-next-upstream");
  static final AnnotationKey TRIES = AnnotationKey.of("proxy-next-upstream-tries");
  static final AnnotationKey TRY_TIMEOUT = AnnotationKey.of("proxy-next-upstream-timeout");
  static final List<AnnotationKey> UNSUPPORTED =
      List.of(
          AnnotationKey.of("proxy-connect-timeout"),
          AnnotationKey.of("proxy-read-timeout"),
          AnnotationKey.of("proxy-send-timeout"));

  /** Higress's {@code defaultRetryCount}. */
  static final int DEFAULT_RETRIES = 3;

  private static final int MAX_RETRIES = 100;
  private static final int MAX_SECONDS = 315_360_000; // ten years: any larger is a typo

  @Override
  public String name() {
    return "timeout-retry";
  }

  @Override
  public List<AnnotationKey> keys() {
    List<AnnotationKey> keys = new ArrayList<>(List.of(TIMEOUT, NEXT_UPSTREAM, TRIES, TRY_TIMEOUT));
    keys.addAll(UNSUPPORTED);
    return keys;
  }

  @Override
  public void parse(Annotations a, IngressPolicies.Builder out) {
    a.integer(TIMEOUT, 0, MAX_SECONDS)
        .filter(s -> s > 0)
        .ifPresent(s -> out.route(RequestTimeout.ofSeconds(s)));
    for (AnnotationKey k : UNSUPPORTED) {
      a.get(k)
          .ifPresent(
              v ->
                  a.warn(
                      v,
                      "not supported (as in Higress); ignored. The route timeout is"
                          + " higress.io/timeout, the per-try timeout proxy-next-upstream-timeout; the upstream connect timeout"
                          + " is the gateway's (conf/gangway.yaml)"));
    }
    Optional<Integer> tries = a.integer(TRIES, 0, MAX_RETRIES);
    Optional<Integer> tryTimeout = a.integer(TRY_TIMEOUT, 0, MAX_SECONDS);
    Optional<Conditions> on = a.get(NEXT_UPSTREAM).flatMap(v -> conditions(a, v));
    if (tries.isEmpty() && tryTimeout.isEmpty() && on.isEmpty()) {
      return;
    }
    Conditions c = on.orElse(Conditions.DEFAULT);
    int retries = c.off() ? 0 : tries.orElse(DEFAULT_RETRIES);
    out.route(
        new Retry(
            retries,
            c.serverError(),
            c.statusCodes(),
            c.nonIdempotent(),
            Duration.ofSeconds(tryTimeout.orElse(0))));
  }

  /** What {@code proxy-next-upstream} asked for. */
  private record Conditions(
      boolean off, boolean serverError, List<Integer> statusCodes, boolean nonIdempotent) {
    static final Conditions DEFAULT = new Conditions(false, true, List.of(), false);
  }

  /**
   * Parses the comma- or space-separated conditions; unknown ones are reported and skipped, and a
   * value without a single known one is invalid (the retry policy then uses the default
   * conditions).
   */
  private static Optional<Conditions> conditions(Annotations a, Annotations.Value v) {
    Set<String> known = new LinkedHashSet<>();
    boolean serverError = false;
    boolean nonIdempotent = false;
    List<Integer> codes = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (String token : v.text().split("[,\\s]+", -1)) {
      if (token.isEmpty()) {
        continue;
      }
      switch (token) {
        case "error", "timeout", "invalid_header" -> serverError = true;
        case "non_idempotent" -> nonIdempotent = true;
        case "off" -> {}
        default -> {
          Optional<Integer> code = statusCode(token);
          if (code.isEmpty()) {
            unknown.add(token);
            continue;
          }
          codes.add(code.get());
        }
      }
      known.add(token);
    }
    if (known.isEmpty()) {
      a.invalid(
          v,
          "comma- or space-separated error, timeout, invalid_header, http_NNN, non_idempotent or off");
      return Optional.empty();
    }
    if (!unknown.isEmpty()) {
      a.warn(
          v,
          "unknown condition(s) "
              + unknown
              + " ignored (expected: error, timeout, invalid_header, http_NNN,"
              + " non_idempotent or off)");
    }
    if (known.contains("off")) {
      if (known.size() > 1) {
        a.warn(v, "'off' wins: the route does not retry; the other conditions are ignored");
      }
      return Optional.of(new Conditions(true, false, List.of(), false));
    }
    return Optional.of(new Conditions(false, serverError, codes, nonIdempotent));
  }

  private static Optional<Integer> statusCode(String token) {
    if (!token.startsWith("http_") || token.length() != 8) {
      return Optional.empty();
    }
    try {
      int code = Integer.parseInt(token.substring(5));
      return code >= 100 && code <= 599 ? Optional.of(code) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
