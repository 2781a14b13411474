package io.gangway.spi.registry;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * {@code EndpointSet} is the complete, sorted instance list of one service, keyed by the host name
 * that routes use to refer to it (e.g. {@code echo.static}, {@code
 * svc.DEFAULT-GROUP.public.nacos}).
 *
 * @param host the generated service host, exactly as Higress generates it
 * @param endpoints every instance, sorted and without duplicates
 */
public record EndpointSet(String host, List<Endpoint> endpoints) {

  /** Sorts, de-duplicates and copies the endpoints. */
  public EndpointSet {
    requireNonNull(host, "host");
    endpoints = endpoints.stream().sorted().distinct().toList();
  }
}
