package io.gangway.ingress.annotation;

import io.gangway.model.policy.AppRoot;
import io.gangway.model.policy.HttpsRedirect;
import io.gangway.model.policy.UrlRedirect;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code RedirectFamily} reads the redirect annotations as Higress's {@code redirect.go}: {@code
 * temporal-redirect} (302) wins over {@code permanent-redirect} (301, or {@code
 * permanent-redirect-code}), and either URL redirect wins over {@code ssl-redirect} / {@code
 * force-ssl-redirect}, which make the routes answer 308 to {@code https} on the plain-HTTP
 * listeners ({@link HttpsRedirect}). Unlike ingress-nginx, a {@code spec.tls} section alone does
 * not redirect. {@code app-root} is domain scope: each host of the Ingress answers {@code /} with
 * 302 to it.
 */
final class RedirectFamily implements AnnotationFamily {

  static final AnnotationKey SSL_REDIRECT = AnnotationKey.of("ssl-redirect");
  static final AnnotationKey FORCE_SSL_REDIRECT = AnnotationKey.of("force-ssl-redirect");
  static final AnnotationKey PERMANENT_REDIRECT = AnnotationKey.of("permanent-redirect");
  static final AnnotationKey PERMANENT_REDIRECT_CODE = AnnotationKey.of("permanent-redirect-code");
  static final AnnotationKey TEMPORAL_REDIRECT = AnnotationKey.of("temporal-redirect");
  static final AnnotationKey APP_ROOT = AnnotationKey.of("app-root");

  /** The redirect codes Envoy can send ({@code RedirectAction.RedirectResponseCode}). */
  private static final List<Integer> ENVOY_CODES = List.of(301, 302, 303, 307, 308);

  @Override
  public String name() {
    return "redirect";
  }

  @Override
  public List<AnnotationKey> keys() {
    return List.of(
        SSL_REDIRECT,
        FORCE_SSL_REDIRECT,
        PERMANENT_REDIRECT,
        PERMANENT_REDIRECT_CODE,
        TEMPORAL_REDIRECT,
        APP_ROOT);
  }

  @Override
  public void parse(Annotations a, IngressPolicies.Builder out) {
    Optional<Annotations.Value> temporal = a.get(TEMPORAL_REDIRECT);
    Optional<Annotations.Value> permanent = a.get(PERMANENT_REDIRECT);
    Optional<Annotations.Value> code = a.get(PERMANENT_REDIRECT_CODE);
    Optional<UrlRedirect> redirect = temporal.flatMap(v -> url(a, v, 302));
    if (redirect.isPresent()) {
      permanent.ifPresent(p -> a.warn(p, "ignored: " + temporal.get().key() + " takes precedence"));
      code.ifPresent(c -> a.warn(c, "ignored: " + temporal.get().key() + " takes precedence"));
    } else if (permanent.isPresent()) {
      redirect = url(a, permanent.get(), code.map(c -> code(a, c)).orElse(301));
    } else {
      code.ifPresent(c -> a.warn(c, "ignored: there is no permanent-redirect"));
    }
    boolean ssl = a.bool(SSL_REDIRECT).orElse(false);
    boolean force = a.bool(FORCE_SSL_REDIRECT).orElse(false);
    if (redirect.isPresent()) {
      out.route(redirect.get());
      if (ssl || force) {
        Annotations.Value v = a.get(ssl ? SSL_REDIRECT : FORCE_SSL_REDIRECT).orElseThrow();
        a.warn(v, "ignored: the URL redirect of this Ingress takes precedence");
      }
    } else if (ssl || force) {
      out.route(new HttpsRedirect());
    }
    a.get(APP_ROOT)
        .ifPresent(
            v -> {
              if (v.text().startsWith("/") && v.text().chars().noneMatch(Character::isWhitespace)) {
                out.host(new AppRoot(v.text()));
              } else {
                a.invalid(v, "a path starting with /");
              }
            });
  }

  /** Returns the redirect to {@code v}'s URL, which must be an absolute http(s) URL with a host. */
  private static Optional<UrlRedirect> url(Annotations a, Annotations.Value v, int code) {
    try {
      URI u = new URI(v.text());
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && u.getHost() != null) {
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        if (u.getRawQuery() != null) {
          path = (path.isEmpty() ? "/" : path) + "?" + u.getRawQuery();
        }
        return Optional.of(
            new UrlRedirect(scheme, u.getHost(), Math.max(u.getPort(), 0), path, code));
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    a.invalid(v, "an http:// or https:// URL with a host");
    return Optional.empty();
  }

  /**
   * Returns the permanent redirect code: 300–308, else 301 (as Higress); codes Envoy cannot send
   * give 301.
   */
  private static int code(Annotations a, Annotations.Value v) {
    int n;
    try {
      n = Integer.parseInt(v.text());
    } catch (NumberFormatException e) {
      n = -1;
    }
    if (n < 300 || n > 308) {
      a.warn(v, "'" + v.text() + "' is not a redirect code from 300 to 308; 301 is used");
      return 301;
    }
    if (!ENVOY_CODES.contains(n)) {
      a.warn(
          v,
          "Envoy cannot send redirect code " + n + " (only 301, 302, 303, 307, 308); 301 is used");
      return 301;
    }
    return n;
  }
}
