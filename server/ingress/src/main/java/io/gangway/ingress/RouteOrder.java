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

  /**
   * A route being placed, with what the ordering needs to know; the sort keys are computed once
   * (100,000 routes are sorted on every apply).
   */
  record Candidate(
      io.gangway.model.Route route,
      boolean defaultBackend,
      int creationOrder,
      int catchAll,
      int kind,
      int pathLength,
      int methods,
      int headers,
      int queryParameters) {

    Candidate(io.gangway.model.Route route, boolean defaultBackend, int creationOrder) {
      this(
          route,
          defaultBackend,
          creationOrder,
          route.match().isCatchAll() ? 1 : 0,
          kindRank(route.match().path().kind()),
          route.match().path().value().length(),
          methodRank(route.match()),
          route.match().headers().size(),
          route.match().queryParameters().size());
    }
  }

  static final Comparator<Candidate> ORDER =
      (a, b) -> {
        int c = Boolean.compare(a.defaultBackend(), b.defaultBackend());
        if (c == 0) {
          c = Integer.compare(a.catchAll(), b.catchAll());
        }
        if (c == 0) {
          c = Integer.compare(a.kind(), b.kind());
        }
        if (c == 0) {
          c = Integer.compare(b.pathLength(), a.pathLength()); // longer first
        }
        if (c == 0) {
          c = Integer.compare(a.methods(), b.methods());
        }
        if (c == 0) {
          c = Integer.compare(b.headers(), a.headers()); // more first
        }
        if (c == 0) {
          c = Integer.compare(b.queryParameters(), a.queryParameters());
        }
        return c != 0 ? c : Integer.compare(a.creationOrder(), b.creationOrder());
      };

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
