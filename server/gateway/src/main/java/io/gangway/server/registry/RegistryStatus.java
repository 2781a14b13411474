package io.gangway.server.registry;

import org.jspecify.annotations.Nullable;

/**
 * {@code RegistryStatus} is one registry as {@code GET /status} shows it, read live when the status
 * is asked for (not when the config was last applied), so an outage shows while it lasts.
 *
 * @param state {@code starting}, {@code ready}, {@code failing: <error>} (last known endpoints
 *     kept), {@code stale: serving N persisted endpoints since <time>} or {@code stale: serving N
 *     endpoints of the previous configuration since <time>} (the registry has not listed
 *     successfully yet), {@code unavailable} (no adapter) or {@code failed: <error>} (the entry
 *     cannot start)
 * @param since when the registry entered this state (ISO-8601 UTC)
 * @param lastError the last failure the registry reported, or {@code null} when none; kept after
 *     recovery
 * @param lastErrorAt when that failure began, or {@code null}
 * @param endpointsFrom where the served endpoints come from: {@code registry}, {@code persisted}
 *     (the store of the previous run) or {@code previous configuration} (the entry was just
 *     changed)
 * @param listedAt for persisted endpoints, when the registry listed them, else {@code null}
 * @param services services served for this registry
 * @param endpoints endpoints served for this registry
 * @param heldByRestartGrace services whose registry answered empty right after a restart or an
 *     outage, still served their last known endpoints for the restart grace period ({@code
 *     restartGraceSeconds})
 */
public record RegistryStatus(
    String state,
    String since,
    @Nullable String lastError,
    @Nullable String lastErrorAt,
    String endpointsFrom,
    @Nullable String listedAt,
    int services,
    int endpoints,
    java.util.List<String> heldByRestartGrace) {

  /** Copies the list. */
  public RegistryStatus {
    heldByRestartGrace = java.util.List.copyOf(heldByRestartGrace);
  }

  /** Returns this status with {@code held} as the services held by the restart grace. */
  RegistryStatus withHeldByRestartGrace(java.util.List<String> held) {
    return new RegistryStatus(
        state, since, lastError, lastErrorAt, endpointsFrom, listedAt, services, endpoints, held);
  }
}
