package io.gangway.ingress.annotation;

import io.gangway.model.policy.LoadBalancer;
import io.gangway.model.policy.RequestHash;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code LoadBalanceFamily} reads Higress's load-balancing annotations ({@code loadbalance.go}):
 * {@code load-balance} ({@code round_robin}, {@code least_conn}, {@code random}), {@code
 * upstream-hash-by} (an nginx variable: {@code $request_uri}, {@code $host}, {@code $remote_addr},
 * {@code $http_<name>}, {@code $arg_<name>}) and cookie {@code affinity} with {@code affinity-mode}
 * and the {@code session-cookie-*} keys; as in Higress, {@code affinity}, {@code
 * session-cookie-name} or {@code session-cookie-path} turns cookie affinity on. Cookie affinity
 * wins over hash-by, which wins over a simple algorithm; the losing key gets a warning. The
 * algorithm is service scope ({@link LoadBalancer} on the clusters the Ingress is the first to
 * use); what is hashed is a route policy ({@link RequestHash}), since Envoy reads it from the
 * route.
 */
final class LoadBalanceFamily implements AnnotationFamily {

  static final AnnotationKey LOAD_BALANCE = AnnotationKey.of("load-balance");
  static final AnnotationKey HASH_BY = AnnotationKey.of("upstream-hash-by");
  static final AnnotationKey AFFINITY = AnnotationKey.of("affinity");
  static final AnnotationKey AFFINITY_MODE = AnnotationKey.of("affinity-mode");
  static final AnnotationKey COOKIE_NAME = AnnotationKey.of("session-cookie-name");
  static final AnnotationKey COOKIE_PATH = AnnotationKey.of("session-cookie-path");
  static final AnnotationKey COOKIE_MAX_AGE = AnnotationKey.of("session-cookie-max-age");
  static final AnnotationKey COOKIE_EXPIRES = AnnotationKey.of("session-cookie-expires");

  static final String DEFAULT_COOKIE = "INGRESSCOOKIE";

  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

  @Override
  public String name() {
    return "load-balance";
  }

  @Override
  public List<AnnotationKey> keys() {
    return List.of(
        LOAD_BALANCE,
        HASH_BY,
        AFFINITY,
        AFFINITY_MODE,
        COOKIE_NAME,
        COOKIE_PATH,
        COOKIE_MAX_AGE,
        COOKIE_EXPIRES);
  }

  @Override
  public void parse(Annotations a, IngressPolicies.Builder out) {
    Optional<RequestHash> cookie = cookie(a);
    Optional<RequestHash> hash = hashBy(a);
    Optional<LoadBalancer.Algorithm> simple = simple(a);
    Optional<RequestHash> chosen = cookie.isPresent() ? cookie : hash;
    if (cookie.isPresent() && hash.isPresent()) {
      a.get(HASH_BY)
          .ifPresent(
              v ->
                  a.warn(
                      v, "ignored: cookie affinity (affinity: cookie) wins over upstream-hash-by"));
    }
    if (chosen.isPresent()) {
      simple.ifPresent(
          s ->
              a.get(LOAD_BALANCE)
                  .ifPresent(
                      v ->
                          a.warn(
                              v,
                              "ignored: "
                                  + (cookie.isPresent() ? "cookie affinity" : "upstream-hash-by")
                                  + " wins over load-balance")));
      out.route(chosen.get());
      out.service(new LoadBalancer(LoadBalancer.Algorithm.CONSISTENT_HASH));
    } else {
      simple.ifPresent(s -> out.service(new LoadBalancer(s)));
    }
  }

  private static Optional<LoadBalancer.Algorithm> simple(Annotations a) {
    return a.get(LOAD_BALANCE)
        .map(
            v ->
                switch (v.text().toUpperCase(Locale.ROOT)) {
                  case "ROUND_ROBIN" -> LoadBalancer.Algorithm.ROUND_ROBIN;
                  case "LEAST_CONN", "LEAST_REQUEST" -> LoadBalancer.Algorithm.LEAST_CONN;
                  case "RANDOM" -> LoadBalancer.Algorithm.RANDOM;
                  default -> {
                    a.invalid(v, "round_robin, least_conn or random; round robin is used");
                    yield LoadBalancer.Algorithm.ROUND_ROBIN;
                  }
                });
  }

  private static Optional<RequestHash> hashBy(Annotations a) {
    Optional<Annotations.Value> value = a.get(HASH_BY);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    Annotations.Value v = value.get();
    String t = v.text();
    if (t.equals("$request_uri")) {
      return Optional.of(RequestHash.header(":path"));
    } else if (t.equals("$host")) {
      return Optional.of(RequestHash.header(":authority"));
    } else if (t.equals("$remote_addr")) {
      return Optional.of(RequestHash.sourceIp());
    } else if (t.startsWith("$http_") && TOKEN.matcher(t.substring(6)).matches()) {
      // As an nginx variable: $http_x_user is the header X-User.
      return Optional.of(RequestHash.header(t.substring(6).replace('_', '-')));
    } else if (t.startsWith("$arg_") && TOKEN.matcher(t.substring(5)).matches()) {
      return Optional.of(RequestHash.queryParameter(t.substring(5)));
    }
    a.invalid(v, "one of $request_uri, $host, $remote_addr, $http_<header>, $arg_<parameter>");
    return Optional.empty();
  }

  private static Optional<RequestHash> cookie(Annotations a) {
    // As Higress (isCookieAffinity): affinity with any value, or a cookie name or path, turns it
    // on.
    if (!a.has(AFFINITY) && !a.has(COOKIE_NAME) && !a.has(COOKIE_PATH)) {
      for (AnnotationKey k : List.of(AFFINITY_MODE, COOKIE_MAX_AGE, COOKIE_EXPIRES)) {
        a.get(k).ifPresent(v -> a.warn(v, "ignored without affinity: cookie"));
      }
      return Optional.empty();
    }
    a.get(AFFINITY)
        .filter(v -> !v.text().equals("cookie"))
        .ifPresent(
            v -> a.warn(v, "only cookie affinity exists; cookie affinity is used (as in Higress)"));
    a.get(AFFINITY_MODE)
        .ifPresent(
            v -> {
              if (v.text().equals("persistent")) {
                a.warn(v, "only balanced is supported (as in Higress); balanced is used");
              } else if (!v.text().equals("balanced")) {
                a.invalid(v, "balanced");
              }
            });
    String name =
        a.get(COOKIE_NAME)
            .filter(
                v -> {
                  boolean ok = TOKEN.matcher(v.text()).matches();
                  if (!ok) {
                    a.invalid(v, "a cookie name; " + DEFAULT_COOKIE + " is used");
                  }
                  return ok;
                })
            .map(Annotations.Value::text)
            .orElse(DEFAULT_COOKIE);
    String path =
        a.get(COOKIE_PATH)
            .filter(
                v -> {
                  boolean ok =
                      v.text().startsWith("/")
                          && v.text().chars().noneMatch(c -> c == ';' || c <= ' ' || c > '~');
                  if (!ok) {
                    a.invalid(v, "a path starting with /; / is used");
                  }
                  return ok;
                })
            .map(Annotations.Value::text)
            .orElse("/");
    Optional<Integer> maxAge = a.integer(COOKIE_MAX_AGE, 0, Integer.MAX_VALUE);
    Optional<Integer> expires = a.integer(COOKIE_EXPIRES, 0, Integer.MAX_VALUE);
    if (maxAge.isPresent() && expires.isPresent() && !maxAge.equals(expires)) {
      a.get(COOKIE_EXPIRES).ifPresent(v -> a.warn(v, "ignored: session-cookie-max-age wins"));
    }
    long ttl = maxAge.or(() -> expires).orElse(0);
    return Optional.of(RequestHash.cookie(name, path, ttl));
  }
}
