package io.gangway.ingress.resource;

import io.gangway.ingress.yaml.YNode;

/**
 * {@code BackendRef} is an Ingress backend: a named service, or a resource (McpBridge) reference.
 */
public sealed interface BackendRef {

  /** Where the backend is written, for diagnostics. */
  YNode at();

  /**
   * {@code backend.service}: on a VM the name is a registry host ({@code echo.static}) or a short
   * name looked up in the registries.
   */
  record Service(String name, int port, YNode at) implements BackendRef {}

  /**
   * {@code backend.resource}: the destinations come from the {@code higress.io/destination}
   * annotation.
   */
  record Resource(String apiGroup, String kind, String name, YNode at) implements BackendRef {}
}
