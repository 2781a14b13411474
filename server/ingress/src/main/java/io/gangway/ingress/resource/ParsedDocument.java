package io.gangway.ingress.resource;

import io.gangway.model.Diagnostic;
import io.gangway.spi.route.RouteDocument;
import java.util.List;

/**
 * {@code ParsedDocument} is one route document after parsing and validation: its objects and its
 * diagnostics. A document with an error is rejected as a whole by the pipeline, which then keeps the
 * last good version of the same document.
 *
 * @param document the raw document
 * @param ingresses valid Ingress objects
 * @param bridges valid McpBridge objects
 * @param diagnostics everything found, errors and warnings
 */
public record ParsedDocument(
    RouteDocument document,
    List<IngressResource> ingresses,
    List<McpBridgeResource> bridges,
    List<Diagnostic> diagnostics) {

  /** Copies the lists. */
  public ParsedDocument {
    ingresses = List.copyOf(ingresses);
    bridges = List.copyOf(bridges);
    diagnostics = List.copyOf(diagnostics);
  }

  /** Returns whether the document has at least one error (and must not be applied). */
  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(Diagnostic::isError);
  }
}
