package io.gangway.ingress;

import io.gangway.ingress.resource.IngressResource;
import io.gangway.ingress.resource.IngressTls;
import io.gangway.ingress.resource.ParsedDocument;
import io.gangway.ingress.resource.SecretResource;
import io.gangway.ingress.tls.TlsMaterial;
import io.gangway.ingress.yaml.Diagnostics;
import io.gangway.model.Certificate;
import io.gangway.model.TlsBinding;
import io.gangway.spi.route.SourceRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code TlsBindings} decides which certificate each server name gets, as Higress does ({@code
 * ConvertGateway}): the Secret named by a {@code spec.tls[]} entry, looked up in the Ingress's
 * namespace, serves every host the entry lists. The oldest Ingress binding a host wins; a later one
 * binding the same host to another Secret gets a {@code DuplicatedTls} warning. A Secret that does
 * not exist is a warning and binds nothing, so the host falls back to the default certificate (when
 * one is configured). Only the Secrets some host uses become certificates of the model.
 */
final class TlsBindings {

  /** The bindings and the certificates they use, each sorted. */
  record Result(List<Certificate> certificates, List<TlsBinding> bindings) {}

  private record Bound(String secretId, IngressResource owner) {}

  private TlsBindings() {}

  /**
   * Binds hosts for {@code ingresses}, which must be in precedence order (oldest first).
   *
   * @param docs every live document (Secrets apply whatever their Ingress class)
   */
  static Result bind(
      List<IngressResource> ingresses,
      List<ParsedDocument> docs,
      Map<SourceRef, Diagnostics> extra) {
    Map<String, SecretResource> secrets = new HashMap<>();
    for (ParsedDocument p : docs) {
      for (SecretResource s : p.secrets()) {
        SecretResource first = secrets.putIfAbsent(s.id(), s);
        if (first != null) {
          extra
              .computeIfAbsent(s.source(), Diagnostics::new)
              .warn(
                  s.at(),
                  "Secret "
                      + s.id()
                      + " is defined twice (also in "
                      + first.source()
                      + ":"
                      + first.at().line()
                      + "); the first one is used");
        }
      }
    }
    Map<String, Bound> bound = new TreeMap<>();
    Map<String, Certificate> used = new TreeMap<>();
    for (IngressResource ing : ingresses) {
      Diagnostics d = extra.computeIfAbsent(ing.source(), Diagnostics::new);
      for (IngressTls tls : ing.tls()) {
        if (tls.secretName() == null) {
          continue; // no secret of its own: the hosts get the default certificate
        }
        String id = ing.namespace() + "/" + tls.secretName();
        SecretResource secret = secrets.get(id);
        if (secret == null) {
          d.warn(
              tls.at().get("secretName"),
              "TLS secret "
                  + id
                  + " not found (expected: a Secret of type"
                  + " kubernetes.io/tls in a route document, in the Ingress's namespace); "
                  + (tls.hosts().size() == 1
                      ? "host " + tls.hosts().get(0) + " gets"
                      : "hosts " + String.join(", ", tls.hosts()) + " get")
                  + " the default certificate, if one is configured");
          continue;
        }
        List<String> names = TlsMaterial.dnsNames(secret.certificateChain());
        for (String host : tls.hosts()) {
          Bound previous = bound.get(host);
          if (previous != null) {
            if (!previous.secretId().equals(id)) {
              String by =
                  previous.owner().equals(ing)
                      ? "earlier in this Ingress"
                      : "by Ingress "
                          + previous.owner().id()
                          + " in "
                          + previous.owner().source()
                          + ", which takes precedence (older creationTimestamp, then name order)";
              d.warn(
                  tls.at(),
                  "DuplicatedTls: host "
                      + host
                      + " already uses secret "
                      + previous.secretId()
                      + ", bound "
                      + by
                      + "; secret "
                      + id
                      + " is ignored for it");
            }
            continue;
          }
          if (!host.equals("*") && !TlsMaterial.covers(names, host)) {
            d.warn(
                tls.at(),
                "the certificate of secret "
                    + id
                    + " is not valid for host "
                    + host
                    + " (it names "
                    + names
                    + "); clients will reject it");
          }
          bound.put(host, new Bound(id, ing));
          used.put(
              id,
              new Certificate(
                  certificateName(id),
                  secret.certificateChain(),
                  secret.privateKey(),
                  secret.source()));
        }
      }
    }
    List<TlsBinding> bindings = new ArrayList<>();
    bound.forEach((host, b) -> bindings.add(new TlsBinding(host, certificateName(b.secretId()))));
    List<Certificate> certificates = new ArrayList<>(used.values());
    certificates.sort(java.util.Comparator.comparing(Certificate::name));
    return new Result(certificates, bindings);
  }

  /** Returns the SDS name of a Secret: stable while its content rotates. */
  static String certificateName(String secretId) {
    return "secret:" + secretId;
  }
}
