package io.gangway.ingress.annotation;

import io.gangway.model.policy.HttpsRedirect;
import java.util.List;

/**
 * {@code RedirectFamily} reads the redirect annotations as Higress's {@code redirect.go}: either of
 * {@code ssl-redirect} and {@code force-ssl-redirect} true makes every route of the Ingress answer 308
 * to {@code https} on the plain-HTTP listeners ({@link HttpsRedirect}). Unlike ingress-nginx, a
 * {@code spec.tls} section alone does not redirect.
 */
final class RedirectFamily implements AnnotationFamily {

  static final AnnotationKey SSL_REDIRECT = AnnotationKey.of("ssl-redirect");
  static final AnnotationKey FORCE_SSL_REDIRECT = AnnotationKey.of("force-ssl-redirect");

  @Override
  public String name() {
    return "redirect";
  }

  @Override
  public List<AnnotationKey> keys() {
    return List.of(SSL_REDIRECT, FORCE_SSL_REDIRECT);
  }

  @Override
  public void parse(Annotations a, IngressPolicies.Builder out) {
    boolean ssl = a.bool(SSL_REDIRECT).orElse(false);
    boolean force = a.bool(FORCE_SSL_REDIRECT).orElse(false);
    if (ssl || force) {
      out.route(new HttpsRedirect());
    }
  }
}
