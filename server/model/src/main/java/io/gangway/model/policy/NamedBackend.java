package io.gangway.model.policy;

import static java.util.Objects.requireNonNull;

/**
 * {@code NamedBackend} is a backend a policy names besides the route's own (a fallback, a mirror
 * target): written as a backend name when parsed, bound to a cluster of the model when translated.
 *
 * @param key the annotation that names it, with its prefix, for diagnostics
 * @param name the backend as written: a registry host ({@code b.static}) or a short name
 * @param port the service port, 0 for the registry's or service's own
 * @param cluster the model cluster it resolved to; empty until resolved
 */
public record NamedBackend(String key, String name, int port, String cluster) {

  /** Validates the parts. */
  public NamedBackend {
    requireNonNull(key, "key");
    requireNonNull(name, "name");
    requireNonNull(cluster, "cluster");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
    }
  }

  /** Returns an unresolved backend. */
  public static NamedBackend of(String key, String name, int port) {
    return new NamedBackend(key, name, port, "");
  }

  /** Returns this backend bound to {@code clusterName}. */
  public NamedBackend resolvedTo(String clusterName) {
    return new NamedBackend(key, name, port, clusterName);
  }

  /** Returns whether it is bound to a cluster. */
  public boolean resolved() {
    return !cluster.isEmpty();
  }
}
