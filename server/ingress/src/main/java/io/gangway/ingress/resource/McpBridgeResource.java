package io.gangway.ingress.resource;

import io.gangway.ingress.yaml.YNode;
import io.gangway.spi.registry.RegistryConfig;
import java.util.List;

/**
 * {@code McpBridgeResource} is a parsed {@code networking.higress.io/v1} McpBridge.
 *
 * @param namespace {@code metadata.namespace}
 * @param name {@code metadata.name}; only {@code default} is honoured, as in Higress
 * @param registries {@code spec.registries}, in declaration order
 * @param at the location of the object
 */
public record McpBridgeResource(
    String namespace, String name, List<RegistryConfig> registries, YNode at) {

  /** Copies the list. */
  public McpBridgeResource {
    registries = List.copyOf(registries);
  }
}
