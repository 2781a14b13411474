package io.gangway.ingress;

import io.gangway.model.Diagnostic;
import io.gangway.model.GatewayModel;
import java.util.List;

/**
 * {@code TranslationResult} is the one result type of translation: the model plus every diagnostic.
 * Translation is best-effort, so there is always a model.
 *
 * @param model the routing table
 * @param diagnostics parse and translation diagnostics of all documents
 */
public record TranslationResult(GatewayModel model, List<Diagnostic> diagnostics) {

  /** Copies the list. */
  public TranslationResult {
    diagnostics = List.copyOf(diagnostics);
  }
}
