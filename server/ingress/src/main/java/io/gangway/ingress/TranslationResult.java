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
 * @param usesCatalog whether a short backend name was resolved against discovered services, so the
 *     result can change when registries discover services
 */
public record TranslationResult(
    GatewayModel model, List<Diagnostic> diagnostics, boolean usesCatalog) {

  /** Copies the list. */
  public TranslationResult {
    diagnostics = List.copyOf(diagnostics);
  }

  /** Returns a result that does not depend on discovered services. */
  public TranslationResult(GatewayModel model, List<Diagnostic> diagnostics) {
    this(model, diagnostics, false);
  }
}
