package io.gangway.ingress.resource;

import io.gangway.ingress.yaml.YNode;
import java.util.List;

/**
 * {@code IngressRule} is one {@code spec.rules[]} entry.
 *
 * @param host the host; {@code *} when the rule has none (it then matches any host)
 * @param paths the rule's paths in document order
 * @param at the location of the rule
 */
public record IngressRule(String host, List<IngressPath> paths, YNode at) {

  /** Copies the list. */
  public IngressRule {
    paths = List.copyOf(paths);
  }
}
