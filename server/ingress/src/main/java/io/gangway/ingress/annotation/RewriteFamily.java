package io.gangway.ingress.annotation;

import io.gangway.ingress.resource.IngressPath;
import io.gangway.ingress.resource.IngressRule;
import io.gangway.model.PathMatch;
import io.gangway.model.RouteMatch;
import io.gangway.model.policy.HostRewrite;
import io.gangway.model.policy.PathRewrite;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.jspecify.annotations.Nullable;

/**
 * {@code RewriteFamily} reads the rewrite annotations as Higress's {@code rewrite.go}: {@code
 * rewrite-target} ({@code $n} capture groups) and {@code higress.io/rewrite-path} become a {@link
 * PathRewrite} (rewrite-path wins), {@code upstream-vhost} a {@link HostRewrite}. It also decides
 * when a path is a regular expression: with {@code use-regex}, {@code higress.io/full-path-regex},
 * a rewrite target holding {@code $} or {@code \}, or a rewrite target and a regex metacharacter in
 * the path. A regex-mode path {@code p} matches {@code p.*} ({@code p$} with full-path-regex); one
 * that is no valid RE2 expression keeps its written match, with a warning, so Envoy never rejects
 * the route table.
 */
final class RewriteFamily implements AnnotationFamily {

  static final AnnotationKey REWRITE_TARGET = AnnotationKey.of("rewrite-target");
  static final AnnotationKey USE_REGEX = AnnotationKey.of("use-regex");
  static final AnnotationKey UPSTREAM_VHOST = AnnotationKey.of("upstream-vhost");
  static final AnnotationKey REWRITE_PATH = AnnotationKey.higress("rewrite-path");
  static final AnnotationKey FULL_PATH_REGEX = AnnotationKey.higress("full-path-regex");

  private static final Pattern GROUP_REF = Pattern.compile("\\\\(\\d)");
  private static final int MAX_REGEX = 1024;
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._~%!$&'()*+,;=\\[\\]:-]+");

  @Override
  public String name() {
    return "rewrite";
  }

  @Override
  public List<AnnotationKey> keys() {
    return List.of(REWRITE_TARGET, USE_REGEX, UPSTREAM_VHOST, REWRITE_PATH, FULL_PATH_REGEX);
  }

  @Override
  public void parse(Annotations a, IngressPolicies.Builder out) {
    boolean useRegex = a.bool(USE_REGEX).orElse(false);
    boolean fullPath = a.bool(FULL_PATH_REGEX).orElse(false);
    Optional<Annotations.Value> target = a.get(REWRITE_TARGET);
    Optional<Annotations.Value> path =
        a.get(REWRITE_PATH)
            .filter(
                v -> {
                  if (v.text().startsWith("/")
                      && v.text().chars().noneMatch(Character::isWhitespace)) {
                    return true;
                  }
                  a.invalid(v, "a path starting with /");
                  return false;
                });
    Mode mode =
        new Mode(
            useRegex, fullPath, target.map(Annotations.Value::text).orElse(null), new HashSet<>());
    if (mode.any()) {
      checkPaths(a, mode);
      out.match(mode::refine);
    }
    if (path.isPresent()) {
      target.ifPresent(
          t ->
              a.warn(
                  t,
                  "ignored: " + path.get().key() + " is set and takes precedence (as in Higress)"));
      out.route(new PathRewrite(PathRewrite.Kind.PREFIX, path.get().text()));
    } else if (target.isPresent()) {
      PathRewrite rewrite = new PathRewrite(PathRewrite.Kind.TARGET, toRe2(target.get().text()));
      if (groupsFit(a, mode, rewrite, target.get())) {
        out.route(rewrite);
      }
    }
    a.get(UPSTREAM_VHOST)
        .ifPresent(
            v -> {
              if (HOST.matcher(v.text()).matches()) {
                out.route(new HostRewrite(v.text()));
              } else {
                a.invalid(v, "a host name, optionally with :port");
              }
            });
  }

  /** Converts nginx's {@code $n} to RE2's {@code \n}, as Higress's {@code convertToRE2}. */
  static String toRe2(String target) {
    return Pattern.compile("\\$[0-9]").matcher(target).find() ? target.replace("$", "\\") : target;
  }

  /**
   * Records the valid regex-mode patterns of the Ingress's paths in {@code mode}, reporting the
   * others.
   */
  private static void checkPaths(Annotations a, Mode mode) {
    for (IngressRule rule : a.ingress().rules()) {
      for (IngressPath p : rule.paths()) {
        String value = written(p).value();
        if (mode.regexFor(value)) {
          String re = mode.pattern(value);
          String problem =
              re.length() > MAX_REGEX ? "longer than " + MAX_REGEX + " characters" : re2Problem(re);
          if (problem == null) {
            mode.valid().add(re);
          } else {
            a.diagnostics()
                .warn(
                    p.at(),
                    "path '"
                        + value
                        + "' is in regex mode (rewrite annotations), but '"
                        + re
                        + "' is not a valid RE2 expression ("
                        + problem
                        + "); it keeps its "
                        + (p.type() == IngressPath.PathType.EXACT ? "exact" : "prefix")
                        + " match");
          }
        }
      }
    }
  }

  /**
   * Returns whether every {@code \n} of the rewrite names a group of every path's pattern (else
   * warns).
   */
  private static boolean groupsFit(
      Annotations a, Mode mode, PathRewrite rewrite, Annotations.Value v) {
    int max = 0;
    Matcher m = GROUP_REF.matcher(rewrite.value());
    while (m.find()) {
      max = Math.max(max, Integer.parseInt(m.group(1)));
    }
    if (max == 0) {
      return true;
    }
    for (IngressRule rule : a.ingress().rules()) {
      for (IngressPath p : rule.paths()) {
        RouteMatch match = mode.refine(RouteMatch.of(written(p)));
        String pattern = rewrite.rule(match.path()).pattern();
        int groups;
        try {
          groups =
              pattern.length() > MAX_REGEX ? 0 : Pattern.compile(pattern).matcher("").groupCount();
        } catch (PatternSyntaxException e) {
          groups = 0;
        }
        if (groups < max) {
          a.invalid(
              v,
              "capture groups $1..$"
                  + groups
                  + " of path '"
                  + p.path()
                  + "' (pattern '"
                  + pattern
                  + "')");
          return false;
        }
      }
    }
    return true;
  }

  private static PathMatch written(IngressPath p) {
    return p.type() == IngressPath.PathType.EXACT
        ? PathMatch.exact(p.path())
        : PathMatch.prefix(p.path());
  }

  /**
   * Returns why {@code re} is not an RE2 expression Envoy accepts, or {@code null}: it must
   * compile, and use none of the constructs RE2 lacks (lookaround, backreferences, atomic groups,
   * possessive quantifiers).
   */
  static @Nullable String re2Problem(String re) {
    try {
      Pattern.compile(re);
    } catch (PatternSyntaxException e) {
      return e.getDescription();
    }
    if (re.contains("(?=") || re.contains("(?!") || re.contains("(?<=") || re.contains("(?<!")) {
      return "RE2 has no lookaround";
    }
    if (re.contains("(?>")) {
      return "RE2 has no atomic groups";
    }
    if (Pattern.compile("(?<!\\\\)\\\\[1-9]").matcher(re).find()) {
      return "RE2 has no backreferences";
    }
    if (Pattern.compile("[*+?}]\\+").matcher(re).find()) {
      return "RE2 has no possessive quantifiers";
    }
    return null;
  }

  /**
   * When paths of the Ingress become regular expressions.
   *
   * @param target the raw rewrite target, or {@code null}
   * @param valid the regex-mode patterns of the Ingress's paths that are valid RE2, filled once by
   *     {@link #checkPaths} so translating never compiles a pattern again
   */
  private record Mode(
      boolean useRegex, boolean fullPath, @Nullable String target, Set<String> valid) {

    boolean any() {
      return useRegex || fullPath || target != null;
    }

    boolean regexFor(String path) {
      if (useRegex || fullPath) {
        return true;
      }
      String t = target;
      return t != null && (t.contains("$") || t.contains("\\") || hasMeta(path));
    }

    String pattern(String path) {
      return path + (fullPath ? "$" : ".*");
    }

    RouteMatch refine(RouteMatch m) {
      PathMatch p = m.path();
      if (p.kind() == PathMatch.Kind.REGEX || !regexFor(p.value())) {
        return m;
      }
      String re = pattern(p.value());
      return valid.contains(re) ? m.withPath(PathMatch.regex(re)) : m;
    }

    private static boolean hasMeta(String path) {
      return path.chars().anyMatch(c -> "\\.+*?()|[]{}^$".indexOf(c) >= 0);
    }
  }
}
