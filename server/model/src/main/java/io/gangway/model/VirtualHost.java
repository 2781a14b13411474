package io.gangway.model;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * {@code VirtualHost} holds the ordered routes of one host name.
 *
 * @param host an exact host ({@code a.example.com}), a wildcard ({@code *.example.com}) or {@code *}
 *     for requests that match no other host
 * @param routes in evaluation order: the first matching route wins
 */
public record VirtualHost(String host, List<Route> routes) {

  /** Validates and copies. */
  public VirtualHost {
    requireNonNull(host, "host");
    routes = List.copyOf(routes);
  }
}
