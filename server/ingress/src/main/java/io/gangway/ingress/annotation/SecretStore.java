package io.gangway.ingress.annotation;

import io.gangway.ingress.resource.CredentialSecret;
import io.gangway.ingress.resource.ParsedDocument;
import io.gangway.ingress.resource.SecretResource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code SecretStore} is the Secrets of every live route document, for the families whose keys name
 * a Secret ({@code auth-tls-secret}, {@code proxy-ssl-secret}). Secrets may live in another
 * document than the Ingress, so they are resolved only when translating ({@link #resolving()});
 * when a document is parsed alone, the store is {@link #NONE} and families check the values' syntax
 * only. The first Secret of an id wins, as {@code TlsBindings} decides. Values are never logged.
 * Immutable.
 */
public final class SecretStore {

  /** The store of a document parsed alone: nothing is resolved. */
  public static final SecretStore NONE = new SecretStore(false, Map.of(), Map.of());

  private final boolean resolving;
  private final Map<String, SecretResource> tls;
  private final Map<String, String> caOfOthers;

  private SecretStore(
      boolean resolving, Map<String, SecretResource> tls, Map<String, String> caOfOthers) {
    this.resolving = resolving;
    this.tls = tls;
    this.caOfOthers = caOfOthers;
  }

  /** Returns the store of {@code docs}' Secrets, TLS and other types. */
  public static SecretStore of(List<ParsedDocument> docs) {
    Map<String, SecretResource> tls = new HashMap<>();
    Map<String, String> ca = new HashMap<>();
    for (ParsedDocument p : docs) {
      p.secrets().forEach(s -> tls.putIfAbsent(s.id(), s));
      for (CredentialSecret c : p.credentials()) {
        String value = c.values().get("ca.crt");
        if (value != null) {
          ca.putIfAbsent(c.namespace() + "/" + c.name(), value);
        }
      }
    }
    return new SecretStore(true, Map.copyOf(tls), Map.copyOf(ca));
  }

  /**
   * Returns whether Secrets are resolved (translating) rather than only checked for syntax
   * (parsing).
   */
  public boolean resolving() {
    return resolving;
  }

  /** Returns the {@code kubernetes.io/tls} Secret {@code namespace/name}. */
  public Optional<SecretResource> tls(String id) {
    return Optional.ofNullable(tls.get(id));
  }

  /**
   * Returns the {@code ca.crt} of Secret {@code namespace/name}, whatever its type (a TLS Secret's
   * is validated when parsed; another type's is not, the caller checks it); empty when it has none.
   */
  public Optional<String> ca(String id) {
    SecretResource s = tls.get(id);
    if (s != null) {
      return s.caCertificate().isEmpty() ? Optional.empty() : Optional.of(s.caCertificate());
    }
    return Optional.ofNullable(caOfOthers.get(id));
  }

  /** Returns whether a Secret of any type with id {@code namespace/name} exists. */
  public boolean exists(String id) {
    return tls.containsKey(id) || caOfOthers.containsKey(id);
  }

  @Override
  public String toString() {
    return "SecretStore[resolving="
        + resolving
        + ", tls="
        + tls.keySet().stream().sorted().toList()
        + "]";
  }
}
