package io.gangway.model.policy;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * {@code RateLimit} is a route's local rate limit ({@code higress.io/route-limit-rps|rpm}): a token
 * bucket per gateway instance that gains {@code requests} tokens every {@code per} and holds at
 * most {@code requests × burstMultiplier}; a request finding it empty is answered {@code 429}.
 *
 * @param requests requests allowed per {@code per}, at least 1
 * @param per one second or one minute
 * @param burstMultiplier how many intervals' worth of tokens a burst may use, at least 1
 */
public record RateLimit(int requests, Duration per, int burstMultiplier) implements Policy {

  /** Validates the parts. */
  public RateLimit {
    requireNonNull(per, "per");
    if (requests < 1 || burstMultiplier < 1) {
      throw new IllegalArgumentException(
          "requests: " + requests + ", burstMultiplier: " + burstMultiplier + " (expected: >= 1)");
    }
    if (!per.equals(Duration.ofSeconds(1)) && !per.equals(Duration.ofMinutes(1))) {
      throw new IllegalArgumentException("per: " + per + " (expected: PT1S or PT1M)");
    }
    if (maxTokens(requests, burstMultiplier) > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException(
          "requests × burstMultiplier: "
              + maxTokens(requests, burstMultiplier)
              + " (expected: at most 4294967295)");
    }
  }

  /** Returns the bucket's size: {@code requests × burstMultiplier}. */
  public long maxTokens() {
    return maxTokens(requests, burstMultiplier);
  }

  /** Returns {@code requests × burstMultiplier} without overflow. */
  public static long maxTokens(int requests, int burstMultiplier) {
    return (long) requests * burstMultiplier;
  }
}
