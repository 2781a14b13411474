package io.gangway.ingress.resource;

import io.gangway.ingress.yaml.YNode;
import io.gangway.spi.route.SourceRef;
import java.util.Map;

/**
 * {@code CredentialSecret} is a parsed {@code v1} Secret of any type other than {@code
 * kubernetes.io/tls} (normally {@code Opaque}): registry credentials referenced by an McpBridge
 * entry's {@code authSecretName}, with Higress's keys {@code nacosUsername}, {@code nacosPassword},
 * {@code consulToken}. {@link #toString()} never shows a value.
 *
 * @param namespace {@code metadata.namespace}, {@code default} when absent
 * @param name {@code metadata.name}
 * @param values decoded {@code data} (base64) merged with {@code stringData} (which wins per key)
 * @param source the document it came from
 * @param at the location of the object
 */
public record CredentialSecret(
    String namespace, String name, Map<String, String> values, SourceRef source, YNode at) {

  /** Copies the map. */
  public CredentialSecret {
    values = Map.copyOf(values);
  }

  /** Shows where the Secret is and its keys; never the values. */
  @Override
  public String toString() {
    return "CredentialSecret["
        + namespace
        + "/"
        + name
        + " in "
        + source
        + ":"
        + at.line()
        + ", keys="
        + values.keySet().stream().sorted().toList()
        + "]";
  }
}
