package io.gangway.ingress.annotation;

import io.gangway.ingress.resource.SecretResource;
import io.gangway.model.Certificate;
import io.gangway.model.policy.TrustedCa;
import io.gangway.model.policy.UpstreamTls;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code UpstreamTlsFamily} reads the upstream TLS keys of Higress's {@code upstreamtls.go}
 * (service scope): {@code proxy-ssl-secret} ({@code [namespace/]name} of a {@code
 * kubernetes.io/tls} Secret whose certificate Envoy presents upstream: mutual TLS), {@code
 * proxy-ssl-verify} ({@code on}: verify the upstream certificate against the Secret's {@code
 * ca.crt}), {@code proxy-ssl-name} (the name sent as SNI and required in the upstream certificate)
 * and {@code proxy-ssl-server-name} ({@code on}: send the SNI). All four fail closed: a malformed
 * value rejects the document, and a named Secret that is missing when translating (it may live in
 * another document) makes the clusters answer 503 rather than connect with weaker TLS.
 */
final class UpstreamTlsFamily implements AnnotationFamily {

  static final AnnotationKey SECRET = AnnotationKey.of("proxy-ssl-secret").failingClosed();
  static final AnnotationKey VERIFY = AnnotationKey.of("proxy-ssl-verify").failingClosed();
  static final AnnotationKey NAME = AnnotationKey.of("proxy-ssl-name").failingClosed();
  static final AnnotationKey SERVER_NAME =
      AnnotationKey.of("proxy-ssl-server-name").failingClosed();

  /** {@code [namespace/]name}, Kubernetes object names. */
  static final Pattern SECRET_REF =
      Pattern.compile("([a-z0-9]([-a-z0-9]*[a-z0-9])?/)?[a-z0-9]([-.a-z0-9]*[a-z0-9])?");

  private static final Pattern DNS_NAME =
      Pattern.compile("(?i)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  @Override
  public String name() {
    return "upstream-tls";
  }

  @Override
  public List<AnnotationKey> keys() {
    return List.of(SECRET, VERIFY, NAME, SERVER_NAME);
  }

  @Override
  public void parse(Annotations a, IngressPolicies.Builder out) {
    if (!a.has(SECRET) && !a.has(VERIFY) && !a.has(NAME) && !a.has(SERVER_NAME)) {
      return;
    }
    boolean ok = true;
    Optional<Annotations.Value> secret = a.get(SECRET);
    if (secret.isPresent() && !SECRET_REF.matcher(secret.get().text()).matches()) {
      a.invalid(secret.get(), "[namespace/]name of a kubernetes.io/tls Secret");
      ok = false;
    }
    Optional<Annotations.Value> verifyValue = a.get(VERIFY);
    Optional<Boolean> verify = onOff(a, verifyValue);
    Optional<Annotations.Value> name = a.get(NAME);
    if (name.isPresent() && !DNS_NAME.matcher(name.get().text()).matches()) {
      a.invalid(name.get(), "a DNS name");
      ok = false;
    }
    Optional<Annotations.Value> serverNameValue = a.get(SERVER_NAME);
    Optional<Boolean> serverName = onOff(a, serverNameValue);
    ok &= verifyValue.isEmpty() || verify.isPresent();
    ok &= serverNameValue.isEmpty() || serverName.isPresent();
    if (verify.orElse(false) && secret.isEmpty()) {
      a.invalid(
          verifyValue.get(),
          "off, or on together with proxy-ssl-secret naming a Secret with ca.crt");
      ok = false;
    }
    if (serverName.orElse(false) && name.isEmpty()) {
      a.invalid(
          serverNameValue.get(), "off, or on together with proxy-ssl-name (the name to send)");
      ok = false;
    }
    if (!ok) {
      return; // the document is rejected
    }
    String id = secret.map(v -> a.secretId(v.text())).orElse("");
    Optional<Certificate> client = Optional.empty();
    Optional<TrustedCa> ca = Optional.empty();
    String problem = "";
    if (secret.isPresent() && a.secrets().resolving()) {
      Optional<SecretResource> s = a.secrets().tls(id);
      if (s.isEmpty()) {
        problem = "Secret " + id + " not found";
        a.unresolved(
            secret.get(),
            "TLS secret "
                + id
                + " not found (expected: a Secret of type kubernetes.io/tls"
                + " in a route document); fails closed: the Ingress's clusters get no endpoints and answer 503");
      } else {
        client =
            Optional.of(
                new Certificate(
                    "secret:" + id,
                    s.get().certificateChain(),
                    s.get().privateKey(),
                    s.get().source()));
        if (verify.orElse(false)) {
          if (s.get().caCertificate().isEmpty()) {
            problem = "Secret " + id + " has no ca.crt";
            a.unresolved(
                verifyValue.get(),
                "Secret "
                    + id
                    + " has no ca.crt to verify the upstream certificate"
                    + " against; fails closed: the Ingress's clusters get no endpoints and answer 503");
          } else {
            ca = Optional.of(new TrustedCa("ca:" + id, s.get().caCertificate()));
          }
        }
      }
    }
    out.service(
        new UpstreamTls(
            id,
            client,
            ca,
            verify.orElse(false),
            name.map(Annotations.Value::text).map(n -> n.toLowerCase(Locale.ROOT)).orElse(""),
            serverName.orElse(false),
            problem));
  }

  /**
   * Parses {@code on}/{@code off} (as ingress-nginx), case-insensitively; reports anything else.
   */
  static Optional<Boolean> onOff(Annotations a, Optional<Annotations.Value> v) {
    if (v.isEmpty()) {
      return Optional.empty();
    }
    return switch (v.get().text().toLowerCase(Locale.ROOT)) {
      case "on" -> Optional.of(true);
      case "off" -> Optional.of(false);
      default -> {
        a.invalid(v.get(), "on or off");
        yield Optional.empty();
      }
    };
  }
}
