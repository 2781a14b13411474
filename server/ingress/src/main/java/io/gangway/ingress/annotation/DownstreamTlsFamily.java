package io.gangway.ingress.annotation;

import io.gangway.ingress.tls.TlsMaterial;
import io.gangway.model.policy.DownstreamTls;
import io.gangway.model.policy.TrustedCa;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code DownstreamTlsFamily} reads the downstream TLS keys of Higress's {@code downstreamtls.go}
 * (domain scope): {@code auth-tls-secret} (clients must present a certificate signed by the CA in
 * Secret {@code <name>-cacert}, key {@code ca.crt}, as Higress's conformance tests store it; or, as
 * ingress-nginx, in {@code <name>} itself), {@code ssl-cipher} (split on {@code :} as Higress's
 * code does; unknown names are dropped with a warning) and {@code tls-min-protocol-version} /
 * {@code tls-max-protocol-version} ({@code TLSv1.0} … {@code TLSv1.3}).
 *
 * <p>{@code auth-tls-secret} and {@code tls-min-protocol-version} fail closed: a malformed value
 * rejects the document, and a CA Secret missing when translating makes the host answer 403, never
 * serve it without client certificates. An invalid {@code tls-max-protocol-version} is a warning
 * (ignoring it allows only newer versions).
 */
final class DownstreamTlsFamily implements AnnotationFamily {

  static final AnnotationKey AUTH_TLS_SECRET = AnnotationKey.of("auth-tls-secret").failingClosed();
  static final AnnotationKey SSL_CIPHER = AnnotationKey.of("ssl-cipher");
  static final AnnotationKey MIN_VERSION =
      AnnotationKey.of("tls-min-protocol-version").failingClosed();
  static final AnnotationKey MAX_VERSION = AnnotationKey.of("tls-max-protocol-version");

  static final List<String> VERSIONS = List.of("TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3");

  /**
   * The TLS 1.0–1.2 suites Envoy (BoringSSL) accepts by name; TLS 1.3 suites are not configurable.
   */
  static final Set<String> CIPHERS =
      Set.of(
          "ECDHE-ECDSA-AES128-GCM-SHA256",
          "ECDHE-RSA-AES128-GCM-SHA256",
          "ECDHE-ECDSA-AES256-GCM-SHA384",
          "ECDHE-RSA-AES256-GCM-SHA384",
          "ECDHE-ECDSA-CHACHA20-POLY1305",
          "ECDHE-RSA-CHACHA20-POLY1305",
          "ECDHE-PSK-CHACHA20-POLY1305",
          "ECDHE-ECDSA-AES128-SHA",
          "ECDHE-RSA-AES128-SHA",
          "ECDHE-PSK-AES128-CBC-SHA",
          "ECDHE-ECDSA-AES256-SHA",
          "ECDHE-RSA-AES256-SHA",
          "ECDHE-PSK-AES256-CBC-SHA",
          "AES128-GCM-SHA256",
          "AES256-GCM-SHA384",
          "AES128-SHA",
          "PSK-AES128-CBC-SHA",
          "AES256-SHA",
          "PSK-AES256-CBC-SHA",
          "DES-CBC3-SHA");

  @Override
  public String name() {
    return "downstream-tls";
  }

  @Override
  public List<AnnotationKey> keys() {
    return List.of(AUTH_TLS_SECRET, SSL_CIPHER, MIN_VERSION, MAX_VERSION);
  }

  @Override
  public void parse(Annotations a, IngressPolicies.Builder out) {
    if (!a.has(AUTH_TLS_SECRET)
        && !a.has(SSL_CIPHER)
        && !a.has(MIN_VERSION)
        && !a.has(MAX_VERSION)) {
      return;
    }
    boolean ok = true;
    Optional<Annotations.Value> secret = a.get(AUTH_TLS_SECRET);
    if (secret.isPresent()
        && !UpstreamTlsFamily.SECRET_REF.matcher(secret.get().text()).matches()) {
      a.invalid(secret.get(), "[namespace/]name of the Secret whose <name>-cacert holds ca.crt");
      ok = false;
    }
    List<String> ciphers = new ArrayList<>();
    a.get(SSL_CIPHER)
        .ifPresent(
            v -> {
              for (String c : v.text().split(":", -1)) {
                String name = c.trim();
                if (name.isEmpty()) {
                  continue;
                }
                if (CIPHERS.contains(name)) {
                  if (!ciphers.contains(name)) {
                    ciphers.add(name);
                  }
                } else {
                  a.warn(
                      v,
                      "cipher '"
                          + name
                          + "' is not supported by Envoy (expected: BoringSSL names such as"
                          + " ECDHE-RSA-AES128-GCM-SHA256, separated by ':'; docs/annotations.md lists them); dropped");
                }
              }
              if (ciphers.isEmpty()) {
                a.warn(v, "no supported cipher left; Envoy's default ciphers apply");
              }
            });
    Optional<Annotations.Value> minValue = a.get(MIN_VERSION);
    String min = version(a, minValue);
    ok &= minValue.isEmpty() || !min.isEmpty();
    String max = version(a, a.get(MAX_VERSION));
    if (!min.isEmpty() && !max.isEmpty() && VERSIONS.indexOf(min) > VERSIONS.indexOf(max)) {
      a.invalid(minValue.get(), "a version not above tls-max-protocol-version " + max);
      ok = false;
    }
    if (!ok) {
      return; // the document is rejected
    }
    String id = "";
    Optional<TrustedCa> ca = Optional.empty();
    String problem = "";
    if (secret.isPresent()) {
      String named = a.secretId(secret.get().text());
      List<String> candidates =
          named.endsWith("-cacert") ? List.of(named) : List.of(named + "-cacert", named);
      id = candidates.get(0);
      if (a.secrets().resolving()) {
        for (String c : candidates) {
          Optional<String> pem = a.secrets().ca(c);
          if (pem.isPresent()) {
            String bad = TlsMaterial.checkCa(pem.get());
            if (bad != null) {
              problem = "Secret " + c + " has an invalid ca.crt";
              a.unresolved(
                  secret.get(),
                  "Secret " + c + " ca.crt: " + bad + "; fails closed: the hosts answer 403");
            } else {
              id = c;
              ca = Optional.of(new TrustedCa("ca:" + c, pem.get()));
            }
            break;
          }
        }
        if (ca.isEmpty() && problem.isEmpty()) {
          problem = "no CA Secret " + String.join(" or ", candidates) + " with ca.crt";
          a.unresolved(
              secret.get(),
              "no Secret "
                  + String.join(" or ", candidates)
                  + " with key ca.crt (expected:"
                  + " the client CA, in a route document); fails closed: the hosts answer 403");
        }
      }
    }
    out.host(new DownstreamTls(id, ca, ciphers, min, max, problem));
  }

  private static String version(Annotations a, Optional<Annotations.Value> v) {
    if (v.isEmpty()) {
      return "";
    }
    if (VERSIONS.contains(v.get().text())) {
      return v.get().text();
    }
    a.invalid(v.get(), String.join(", ", VERSIONS));
    return "";
  }
}
