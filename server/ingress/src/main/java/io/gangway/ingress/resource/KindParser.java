package io.gangway.ingress.resource;

import io.gangway.ingress.yaml.Diagnostics;
import io.gangway.ingress.yaml.YNode;
import io.gangway.spi.route.RouteDocument;

/**
 * {@code KindParser} parses one resource kind ({@code Ingress}, {@code McpBridge}, {@code Secret}…)
 * of a route document. {@link ResourceParser} dispatches each object to the parser of its kind
 * after checking its {@code apiVersion}; a new kind is one new parser added to its list.
 * Implementations are stateless and never throw: problems become diagnostics.
 */
interface KindParser {

  /** Returns the {@code kind} this parser handles. */
  String kind();

  /** Returns the one {@code apiVersion} accepted for the kind. */
  String apiVersion();

  /** Parses and validates one object, {@code at} its root, adding what is valid to {@code out}. */
  void parse(YNode at, RouteDocument document, Diagnostics d, ParsedObjects out);
}
