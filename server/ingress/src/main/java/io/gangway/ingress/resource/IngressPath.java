package io.gangway.ingress.resource;

import io.gangway.ingress.yaml.YNode;

/**
 * {@code IngressPath} is one {@code spec.rules[].http.paths[]} entry.
 *
 * @param path the path as written (never empty: an empty path becomes {@code /})
 * @param type the path type; a missing type is {@code Prefix}, as in Higress
 * @param backend where matching requests go
 * @param at the location of the entry
 */
public record IngressPath(String path, PathType type, BackendRef backend, YNode at) {

  /**
   * Ingress path types. {@code ImplementationSpecific} is treated as {@code Prefix}, as Higress
   * does.
   */
  public enum PathType {
    EXACT,
    PREFIX,
    IMPLEMENTATION_SPECIFIC
  }
}
