package io.gangway.ingress;

import io.gangway.ingress.resource.IngressResource;
import io.gangway.ingress.yaml.Diagnostics;
import io.gangway.ingress.yaml.YNode;
import java.util.List;

/**
 * {@code SslRedirect} reads the {@code ssl-redirect} and {@code force-ssl-redirect} annotations
 * ({@code higress.io/} or {@code nginx.ingress.kubernetes.io/} prefix), as Higress's
 * {@code redirect.go}: either one true makes every route of the Ingress answer 308 to {@code https} on
 * the plain-HTTP listeners. Unlike ingress-nginx, a {@code spec.tls} section alone does not redirect.
 * Values are parsed as Go's {@code strconv.ParseBool}; anything else is ignored with a warning.
 */
final class SslRedirect {

  static final List<String> ANNOTATIONS = List.of("higress.io/ssl-redirect", "higress.io/force-ssl-redirect",
      "nginx.ingress.kubernetes.io/ssl-redirect", "nginx.ingress.kubernetes.io/force-ssl-redirect");

  private SslRedirect() {}

  /** Returns whether {@code ing} asks for the HTTPS redirect; warns about unparseable values. */
  static boolean of(IngressResource ing, Diagnostics d) {
    boolean redirect = false;
    for (String key : ANNOTATIONS) {
      String v = ing.annotations().get(key);
      if (v == null) {
        continue;
      }
      switch (v.trim()) {
        case "1", "t", "T", "TRUE", "true", "True" -> redirect = true;
        case "0", "f", "F", "FALSE", "false", "False" -> { }
        default -> d.warn(ing.at().get("metadata").get("annotations").get(key), "invalid " + key + " '"
            + YNode.abbreviate(v) + "' (expected: true or false); ignored");
      }
    }
    return redirect;
  }
}
