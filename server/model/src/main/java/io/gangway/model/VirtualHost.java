package io.gangway.model;

import static java.util.Objects.requireNonNull;

import io.gangway.model.policy.Policies;
import java.util.List;

/**
 * {@code VirtualHost} holds the ordered routes of one host name.
 *
 * @param host an exact host ({@code a.example.com}), a wildcard ({@code *.example.com}) or {@code
 *     *} for requests that match no other host
 * @param routes in evaluation order: the first matching route wins
 * @param policies domain-scope policies (Higress applies these to the host's Gateway server)
 */
public record VirtualHost(String host, List<Route> routes, Policies policies) {

  /** Validates and copies. */
  public VirtualHost {
    requireNonNull(host, "host");
    routes = List.copyOf(routes);
    requireNonNull(policies, "policies");
  }

  /** Returns a virtual host without domain-scope policies. */
  public VirtualHost(String host, List<Route> routes) {
    this(host, routes, Policies.none());
  }

  /** Returns this host with {@code replacement} routes. */
  public VirtualHost withRoutes(List<Route> replacement) {
    return new VirtualHost(host, replacement, policies);
  }
}
