package io.gangway.ingress.resource;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code ParsedObjects} collects the valid objects of one document while it is parsed. Not
 * thread-safe.
 */
final class ParsedObjects {
  final List<IngressResource> ingresses = new ArrayList<>();
  final List<McpBridgeResource> bridges = new ArrayList<>();
  final List<SecretResource> secrets = new ArrayList<>();
  final List<CredentialSecret> credentials = new ArrayList<>();
}
