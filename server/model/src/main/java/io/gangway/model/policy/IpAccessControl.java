package io.gangway.model.policy;

import java.util.List;

/**
 * {@code IpAccessControl} lets a request through only when its client address is allowed: inside
 * one of {@code allow} (when not empty) and outside every range of {@code deny}; others are
 * answered {@code 403} ({@code whitelist-source-range}, {@code denylist-source-range}). The client
 * address is the one the listener trusts: the connection's peer, or the {@code X-Forwarded-For}
 * entry the configured number of trusted hops designates.
 *
 * @param allow normalised CIDR ranges ({@code 10.0.0.0/8}, {@code 2001:db8::/32}); empty means any
 *     address
 * @param deny normalised CIDR ranges refused even when allowed
 */
public record IpAccessControl(List<String> allow, List<String> deny) implements Policy {

  /** Copies the lists and checks that the policy restricts something. */
  public IpAccessControl {
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
    if (allow.isEmpty() && deny.isEmpty()) {
      throw new IllegalArgumentException("allow and deny: [] (expected: at least one range)");
    }
  }
}
