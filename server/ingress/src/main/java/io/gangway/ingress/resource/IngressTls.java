package io.gangway.ingress.resource;

import io.gangway.ingress.yaml.YNode;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code IngressTls} is one {@code spec.tls[]} entry.
 *
 * @param hosts the server names it covers; {@code ["*"]} when the entry lists none (as Higress: it
 *     then applies to the rules without a host, i.e. to any server name)
 * @param secretName the Secret in the Ingress's namespace, {@code null} when absent
 * @param at the location of the entry
 */
public record IngressTls(List<String> hosts, @Nullable String secretName, YNode at) {

  /** Copies the list. */
  public IngressTls {
    hosts = List.copyOf(hosts);
  }
}
