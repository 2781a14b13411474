package io.gangway.ingress;

import io.gangway.model.PathMatch;
import java.util.Comparator;

/**
 * {@code RouteOrder} is Higress's route precedence within one host ({@code SortHTTPRoutes}): the
 * {@code defaultBackend} route last, a user catch-all ({@code Prefix /}) just before it, then exact
 * before prefix before regex, longer paths first, and otherwise the order of the Ingress objects by age.
 */
final class RouteOrder {

  /** A route being placed, with what the ordering needs to know. */
  record Candidate(io.gangway.model.Route route, boolean defaultBackend, int creationOrder) {}

  static final Comparator<Candidate> ORDER = Comparator
      .comparingInt((Candidate c) -> c.defaultBackend() ? 1 : 0)
      .thenComparingInt(c -> isCatchAll(c.route().match()) ? 1 : 0)
      .thenComparingInt(c -> c.route().match().kind().ordinal())
      .thenComparingInt(c -> -c.route().match().value().length())
      .thenComparingInt(Candidate::creationOrder);

  private RouteOrder() {}

  static boolean isCatchAll(PathMatch m) {
    return m.kind() == PathMatch.Kind.PREFIX && m.value().equals("/");
  }
}
