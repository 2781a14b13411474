package io.gangway.server.admin;

import io.javalin.config.RoutesConfig;

/**
 * {@code AdminResource} is one group of admin API endpoints ({@code /routes} and {@code /clusters},
 * later the console's): it adds its handlers to the admin server's routes. The admin server applies
 * authentication to every resource alike, so a resource never checks tokens itself.
 */
@FunctionalInterface
public interface AdminResource {

  /** Adds this resource's endpoints. */
  void addTo(RoutesConfig routes);
}
