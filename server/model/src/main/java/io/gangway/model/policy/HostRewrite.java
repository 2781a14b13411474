package io.gangway.model.policy;

import static java.util.Objects.requireNonNull;

/**
 * {@code HostRewrite} sets the {@code Host}/{@code :authority} the upstream sees ({@code
 * upstream-vhost}).
 *
 * @param host the host (and optional port) sent upstream
 */
public record HostRewrite(String host) implements Policy {

  /** Validates the host. */
  public HostRewrite {
    requireNonNull(host, "host");
  }
}
