package io.gangway.model.policy;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * {@code Mirror} copies a share of a route's requests to another backend, fire and forget: the
 * copy's response is discarded ({@code mirror-target-service}, {@code mirror-target-fqdn}, {@code
 * mirror-percentage}).
 *
 * @param backend the mirror target
 * @param percent the share of requests copied, 0-100
 */
public record Mirror(NamedBackend backend, int percent) implements BackendPolicy {

  /** Validates the parts. */
  public Mirror {
    requireNonNull(backend, "backend");
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("percent: " + percent + " (expected: 0-100)");
    }
  }

  @Override
  public List<NamedBackend> backends() {
    return List.of(backend);
  }

  @Override
  public Mirror withBackends(List<NamedBackend> resolved) {
    return new Mirror(resolved.get(0), percent);
  }
}
