package io.gangway.ingress.annotation;

import io.gangway.model.policy.RateLimit;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code RateLimitFamily} reads Higress's local rate limit ({@code local_rate_limit.go}): {@code
 * higress.io/route-limit-rpm} or {@code -rps} (requests per minute or second) and {@code
 * -burst-multiplier} (default 5) make a {@link RateLimit} on every route of the Ingress. With both
 * limits, {@code rpm} wins, as in Higress.
 */
final class RateLimitFamily implements AnnotationFamily {

  static final AnnotationKey RPM = AnnotationKey.higress("route-limit-rpm");
  static final AnnotationKey RPS = AnnotationKey.higress("route-limit-rps");
  static final AnnotationKey BURST = AnnotationKey.higress("route-limit-burst-multiplier");

  /** Higress's {@code defaultBurstMultiplier}. */
  static final int DEFAULT_BURST_MULTIPLIER = 5;

  @Override
  public String name() {
    return "rate-limit";
  }

  @Override
  public List<AnnotationKey> keys() {
    return List.of(RPM, RPS, BURST);
  }

  @Override
  public void parse(Annotations a, IngressPolicies.Builder out) {
    Optional<Integer> burst = a.integer(BURST, 1, Integer.MAX_VALUE);
    Optional<Integer> rpm = a.integer(RPM, 1, Integer.MAX_VALUE);
    Optional<Integer> rps = a.integer(RPS, 1, Integer.MAX_VALUE);
    if (rpm.isPresent() && rps.isPresent()) {
      a.get(RPS)
          .ifPresent(
              v ->
                  a.warn(
                      v,
                      "both "
                          + Annotations.HIGRESS
                          + RPM.name()
                          + " and "
                          + v.key()
                          + " are set; "
                          + RPM.name()
                          + " wins (as in Higress), this one is ignored"));
    }
    AnnotationKey key = rpm.isPresent() ? RPM : RPS;
    Optional<Integer> limit = rpm.isPresent() ? rpm : rps;
    if (limit.isEmpty()) {
      if (burst.isPresent()) {
        a.get(BURST)
            .ifPresent(
                v ->
                    a.warn(
                        v,
                        "has no effect without "
                            + Annotations.HIGRESS
                            + RPS.name()
                            + " or "
                            + RPM.name()));
      }
      return;
    }
    int multiplier = burst.orElse(DEFAULT_BURST_MULTIPLIER);
    if (RateLimit.maxTokens(limit.get(), multiplier) > 0xFFFF_FFFFL) {
      a.get(key)
          .ifPresent(
              v ->
                  a.invalid(
                      v,
                      "a limit whose product with the burst multiplier "
                          + multiplier
                          + " is at most 4294967295"));
      return;
    }
    out.route(
        new RateLimit(
            limit.get(),
            key.equals(RPM) ? Duration.ofMinutes(1) : Duration.ofSeconds(1),
            multiplier));
  }
}
