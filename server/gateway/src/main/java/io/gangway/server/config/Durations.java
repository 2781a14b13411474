package io.gangway.server.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations written as in Envoy and Nacos configs: {@code 100ms}, {@code 10s}, {@code 5m},
 * {@code 1h}.
 */
final class Durations {

  private static final Pattern FORMAT = Pattern.compile("^(\\d+)(ms|s|m|h)$");

  private Durations() {}

  public static Duration parse(String field, String value) {
    Matcher m = FORMAT.matcher(value.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          field + ": '" + value + "' (expected: a duration such as 100ms, 10s, 5m, 1h)");
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      default -> Duration.ofHours(n);
    };
  }
}
