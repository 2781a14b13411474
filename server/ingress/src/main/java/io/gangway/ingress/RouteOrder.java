package io.gangway.ingress;

import io.gangway.model.RouteMatch;
import java.util.Comparator;

/**
 * {@code RouteOrder} is Higress's route precedence within one host ({@code SortHTTPRoutes}): the
 * {@code defaultBackend} route last, a user catch-all ({@code Prefix /} without other conditions)
 * just before it, then exact before prefix before regex, longer paths first, then routes with a
 * method match (shorter method list first), more header matches, more query matches, and otherwise
 * the order of the Ingress objects by age.
 */
final class RouteOrder {

  /** A route being placed, with what the ordering needs to know. */
  record Candidate(io.gangway.model.Route route, boolean defaultBackend, int creationOrder) {}

  static final Comparator<Candidate> ORDER =
      Comparator.comparingInt((Candidate c) -> c.defaultBackend() ? 1 : 0)
          .thenComparingInt(c -> c.route().match().isCatchAll() ? 1 : 0)
          .thenComparingInt(c -> kindRank(c.route().match().path().kind()))
          .thenComparingInt(c -> -c.route().match().path().value().length())
          .thenComparingInt(c -> methodRank(c.route().match()))
          .thenComparingInt(c -> -c.route().match().headers().size())
          .thenComparingInt(c -> -c.route().match().queryParameters().size())
          .thenComparingInt(Candidate::creationOrder);

  private RouteOrder() {}

  /** Higress's precedence of match kinds: exact before prefix before regex. */
  private static int kindRank(io.gangway.model.PathMatch.Kind kind) {
    return switch (kind) {
      case EXACT -> 0;
      case PREFIX -> 1;
      case REGEX -> 2;
    };
  }

  /**
   * Routes with a method match first, the shorter method regex ({@code GET|POST}) first, as
   * Higress.
   */
  private static int methodRank(RouteMatch m) {
    return m.methods().isEmpty() ? Integer.MAX_VALUE : String.join("|", m.methods()).length();
  }
}
