package io.gangway.model;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code RouteMatch} is everything a route matches on: the path, and optionally headers, query
 * parameters and methods (Higress's {@code match-*} annotations). Route ordering and duplicate
 * detection use the whole match, as Higress's rule key does: two routes with one path but different
 * header matches are two routes.
 *
 * @param path the path match
 * @param ignoreCase whether the path is matched case-insensitively ({@code ignore-path-case})
 * @param headers all must match, sorted
 * @param queryParameters all must match, sorted
 * @param methods the request method must be one of these (upper case, in the order written); empty
 *     means any
 */
public record RouteMatch(
    PathMatch path,
    boolean ignoreCase,
    List<NamedMatch> headers,
    List<NamedMatch> queryParameters,
    List<String> methods) {

  /** Validates, sorts and copies. */
  public RouteMatch {
    requireNonNull(path, "path");
    headers = sorted(headers);
    queryParameters = sorted(queryParameters);
    methods = List.copyOf(methods);
  }

  /** Returns a match on {@code path} alone. */
  public static RouteMatch of(PathMatch path) {
    return new RouteMatch(path, false, List.of(), List.of(), List.of());
  }

  /** Returns this match with another path match. */
  public RouteMatch withPath(PathMatch p) {
    return new RouteMatch(p, ignoreCase, headers, queryParameters, methods);
  }

  /** Returns this match, case-insensitive on the path or not. */
  public RouteMatch withIgnoreCase(boolean ignore) {
    return new RouteMatch(path, ignore, headers, queryParameters, methods);
  }

  /** Returns this match with {@code more} header matches added. */
  public RouteMatch withHeaders(List<NamedMatch> more) {
    List<NamedMatch> all = new ArrayList<>(headers);
    all.addAll(more);
    return new RouteMatch(path, ignoreCase, all, queryParameters, methods);
  }

  /**
   * Returns this match with its header matches replaced by {@code replacement} (a header canary).
   */
  public RouteMatch replacingHeaders(List<NamedMatch> replacement) {
    return new RouteMatch(path, ignoreCase, replacement, queryParameters, methods);
  }

  /** Returns this match with {@code more} query-parameter matches added. */
  public RouteMatch withQueryParameters(List<NamedMatch> more) {
    List<NamedMatch> all = new ArrayList<>(queryParameters);
    all.addAll(more);
    return new RouteMatch(path, ignoreCase, headers, all, methods);
  }

  /** Returns this match restricted to {@code allowed} methods. */
  public RouteMatch withMethods(List<String> allowed) {
    return new RouteMatch(path, ignoreCase, headers, queryParameters, allowed);
  }

  /** Returns whether only the path is matched (no header, query or method condition). */
  public boolean pathOnly() {
    return headers.isEmpty() && queryParameters.isEmpty() && methods.isEmpty();
  }

  /**
   * Returns whether this is a catch-all: prefix {@code /} and no other condition (Higress puts a
   * user catch-all after every other route of its host).
   */
  public boolean isCatchAll() {
    return path.kind() == PathMatch.Kind.PREFIX && path.value().equals("/") && pathOnly();
  }

  /**
   * Returns a one-line description, e.g. {@code prefix /api} or {@code prefix /api [methods
   * GET|POST] [header x-user exact a]}; equal matches give equal text.
   */
  @Override
  public String toString() {
    StringBuilder b =
        new StringBuilder(path.kind().name().toLowerCase(java.util.Locale.ROOT))
            .append(' ')
            .append(path.value());
    if (ignoreCase) {
      b.append(" [ignore-case]");
    }
    if (!methods.isEmpty()) {
      b.append(" [methods ").append(String.join("|", methods)).append(']');
    }
    headers.forEach(h -> b.append(" [header ").append(h).append(']'));
    queryParameters.forEach(q -> b.append(" [query ").append(q).append(']'));
    return b.toString();
  }

  private static List<NamedMatch> sorted(List<NamedMatch> in) {
    List<NamedMatch> copy = new ArrayList<>(in);
    copy.sort(null);
    return List.copyOf(copy);
  }
}
