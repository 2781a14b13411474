package io.gangway.ingress.annotation;

import io.gangway.model.NamedMatch;
import io.gangway.model.StringMatch;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code MatchFamily} reads Higress's match annotations ({@code match.go}, {@code ignore_case.go}):
 * {@code higress.io/match-method} (space-separated methods), {@code
 * higress.io/<kind>-match-header-<name>}, {@code -match-pseudo-header-<name>} (matches {@code
 * :<name>}) and {@code -match-query-<name>} with {@code <kind>} one of {@code exact}, {@code regex}
 * (RE2, whole value), {@code prefix}, one condition per name (exact, then regex, then prefix wins);
 * and {@code ignore-path-case}. Methods are upper-cased; as in Higress only the nine standard
 * methods are kept. They refine the match of every route written in the Ingress's rules (not its
 * {@code defaultBackend} catch-all), so route order and the duplicate rule key see them. A bad
 * value drops that one condition with a warning; a regex RE2 cannot compile would make Envoy reject
 * the whole route configuration, so it is checked here ({@link Re2Syntax}).
 */
final class MatchFamily implements AnnotationFamily {

  static final AnnotationKey MATCH_METHOD = AnnotationKey.higress("match-method");
  static final AnnotationKey IGNORE_PATH_CASE = AnnotationKey.of("ignore-path-case");

  private static final List<String> KINDS = List.of("exact", "regex", "prefix");

  /** The methods Higress's {@code match-method} accepts. */
  private static final List<String> METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  /** What a prefix key matches, and how its user part becomes a name. */
  private enum Target {
    HEADER("-match-header-"),
    PSEUDO_HEADER("-match-pseudo-header-"),
    QUERY("-match-query-");

    final String infix;

    Target(String infix) {
      this.infix = infix;
    }
  }

  @Override
  public String name() {
    return "match";
  }

  @Override
  public List<AnnotationKey> keys() {
    List<AnnotationKey> keys = new ArrayList<>(List.of(MATCH_METHOD, IGNORE_PATH_CASE));
    for (Target t : Target.values()) {
      KINDS.forEach(k -> keys.add(key(k, t)));
    }
    return keys;
  }

  private static AnnotationKey key(String kind, Target t) {
    return AnnotationKey.higressPrefix(kind + t.infix);
  }

  @Override
  public void parse(Annotations a, IngressPolicies.Builder out) {
    a.get(MATCH_METHOD)
        .ifPresent(
            v -> {
              Set<String> methods = new LinkedHashSet<>();
              List<String> unknown = new ArrayList<>();
              for (String m : v.text().split("\\s+", -1)) {
                String upper = m.toUpperCase(Locale.ROOT);
                if (METHODS.contains(upper)) {
                  methods.add(upper);
                } else {
                  unknown.add(m);
                }
              }
              if (methods.isEmpty()) {
                a.invalid(v, "methods separated by spaces, of " + String.join(" ", METHODS));
                return;
              }
              if (!unknown.isEmpty()) {
                a.warn(
                    v,
                    "unknown methods "
                        + unknown
                        + " left out (as in Higress, only "
                        + String.join(" ", METHODS)
                        + "); the route matches "
                        + String.join(" ", methods));
              }
              List<String> list = List.copyOf(methods);
              out.match(rm -> rm.withMethods(list));
            });
    List<NamedMatch> headers = new ArrayList<>();
    List<NamedMatch> query = new ArrayList<>();
    Map<String, Annotations.Value> seenHeaders = new java.util.HashMap<>();
    Map<String, Annotations.Value> seenQuery = new java.util.HashMap<>();
    for (Target t : Target.values()) {
      for (String kind : KINDS) {
        for (Map.Entry<String, Annotations.Value> e : a.withPrefix(key(kind, t)).entrySet()) {
          Annotations.Value v = e.getValue();
          String name = t == Target.QUERY ? e.getKey() : e.getKey().toLowerCase(Locale.ROOT);
          if (t != Target.QUERY && !TOKEN.matcher(name).matches()) {
            a.warn(
                v,
                "'"
                    + e.getKey()
                    + "' is not a valid header name; ignored, the route applies without it");
            continue;
          }
          StringMatch.Kind k = StringMatch.Kind.valueOf(kind.toUpperCase(Locale.ROOT));
          if (k == StringMatch.Kind.REGEX) {
            var problem = Re2Syntax.problem(v.text());
            if (problem.isPresent()) {
              a.invalid(v, "an RE2 regular expression; " + problem.get());
              continue;
            }
          }
          String matched = t == Target.PSEUDO_HEADER ? ":" + name : name;
          Map<String, Annotations.Value> seen = t == Target.QUERY ? seenQuery : seenHeaders;
          Annotations.Value earlier = seen.putIfAbsent(matched, v);
          if (earlier != null) {
            // Higress keeps one matcher per name.
            a.warn(
                v,
                "ignored: "
                    + earlier.key()
                    + " already matches "
                    + (t == Target.QUERY ? "query parameter " : "header ")
                    + matched
                    + " (one condition per name; exact wins over regex over prefix)");
            continue;
          }
          NamedMatch m = new NamedMatch(matched, new StringMatch(k, v.text()));
          (t == Target.QUERY ? query : headers).add(m);
        }
      }
    }
    if (!headers.isEmpty()) {
      out.match(rm -> rm.withHeaders(headers));
    }
    if (!query.isEmpty()) {
      out.match(rm -> rm.withQueryParameters(query));
    }
    if (a.bool(IGNORE_PATH_CASE).orElse(false)) {
      out.match(rm -> rm.withIgnoreCase(true));
    }
  }
}
