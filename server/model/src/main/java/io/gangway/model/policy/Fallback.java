package io.gangway.model.policy;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * {@code Fallback} sends a route's requests to another backend when its own has no healthy endpoint
 * ({@code default-backend}), and has that backend answer upstream responses with one of {@code
 * errorCodes} ({@code custom-http-errors}).
 *
 * @param backend the fallback backend
 * @param errorCodes upstream status codes answered by the fallback instead, sorted; empty for none
 */
public record Fallback(NamedBackend backend, List<Integer> errorCodes) implements BackendPolicy {

  /** Validates the parts. */
  public Fallback {
    requireNonNull(backend, "backend");
    errorCodes = List.copyOf(errorCodes);
  }

  @Override
  public List<NamedBackend> backends() {
    return List.of(backend);
  }

  @Override
  public Fallback withBackends(List<NamedBackend> resolved) {
    return new Fallback(resolved.get(0), errorCodes);
  }
}
