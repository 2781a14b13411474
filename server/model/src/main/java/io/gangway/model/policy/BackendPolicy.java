package io.gangway.model.policy;

import java.util.List;

/**
 * {@code BackendPolicy} is a policy that names backends of its own ({@link NamedBackend}): the
 * translator resolves each like a route's backend, adds its cluster to the model, and hands the
 * resolved list back through {@link #withBackends}. A policy whose backend cannot be resolved is
 * left out of the route, with a warning. One mechanism for every such family (fallback, mirror…).
 */
public interface BackendPolicy extends Policy {

  /** Returns the backends the policy names, in a fixed order. */
  List<NamedBackend> backends();

  /**
   * Returns this policy with {@code resolved}, the same backends in the same order, bound to
   * clusters.
   */
  BackendPolicy withBackends(List<NamedBackend> resolved);
}
