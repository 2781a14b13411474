package io.gangway.ingress.resource;

import io.gangway.model.Diagnostic;
import io.gangway.spi.route.RouteDocument;
import java.util.List;

/**
 * {@code ParsedDocument} is one route document after parsing and validation: its objects and its
 * diagnostics. A document with an error is rejected as a whole by the pipeline, which then keeps
 * the last good version of the same document.
 *
 * @param document the raw document
 * @param ingresses valid Ingress objects
 * @param bridges valid McpBridge objects
 * @param secrets valid {@code kubernetes.io/tls} Secrets
 * @param credentials valid credential (non-TLS) Secrets, for McpBridge {@code authSecretName}
 * @param diagnostics everything found, errors and warnings
 */
public record ParsedDocument(
    RouteDocument document,
    List<IngressResource> ingresses,
    List<McpBridgeResource> bridges,
    List<SecretResource> secrets,
    List<CredentialSecret> credentials,
    List<Diagnostic> diagnostics) {

  /** Copies the lists. */
  public ParsedDocument {
    ingresses = List.copyOf(ingresses);
    bridges = List.copyOf(bridges);
    secrets = List.copyOf(secrets);
    credentials = List.copyOf(credentials);
    diagnostics = List.copyOf(diagnostics);
  }

  /** A document without credential Secrets. */
  public ParsedDocument(
      RouteDocument document,
      List<IngressResource> ingresses,
      List<McpBridgeResource> bridges,
      List<SecretResource> secrets,
      List<Diagnostic> diagnostics) {
    this(document, ingresses, bridges, secrets, List.of(), diagnostics);
  }

  /** Returns a document without Secrets. */
  public ParsedDocument(
      RouteDocument document,
      List<IngressResource> ingresses,
      List<McpBridgeResource> bridges,
      List<Diagnostic> diagnostics) {
    this(document, ingresses, bridges, List.of(), diagnostics);
  }

  /** Returns this document with {@code more} diagnostics appended. */
  public ParsedDocument withDiagnostics(List<Diagnostic> more) {
    if (more.isEmpty()) {
      return this;
    }
    List<Diagnostic> all = new java.util.ArrayList<>(diagnostics);
    all.addAll(more);
    return new ParsedDocument(document, ingresses, bridges, secrets, credentials, all);
  }

  /** Shows the source, version and counts; never the text, which may hold private keys. */
  @Override
  public String toString() {
    return "ParsedDocument["
        + document.source()
        + " version "
        + document.version()
        + ", "
        + ingresses.size()
        + " ingresses, "
        + bridges.size()
        + " bridges, "
        + secrets.size()
        + " secrets, "
        + diagnostics.size()
        + " diagnostics]";
  }

  /** Returns whether the document has at least one error (and must not be applied). */
  public boolean hasErrors() {
    return diagnostics.stream().anyMatch(Diagnostic::isError);
  }
}
