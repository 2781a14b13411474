package io.gangway.server.pipeline;

import io.gangway.ingress.IngressTranslator;
import io.gangway.ingress.resource.McpBridgeResource;
import io.gangway.ingress.resource.ParsedDocument;
import io.gangway.model.Diagnostic;
import io.gangway.model.Severity;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.route.RouteDocument;
import io.gangway.spi.route.RouteSnapshot;
import io.gangway.spi.route.SourceRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * {@code DocumentGate} admits route documents one by one. A document with an error is rejected as a
 * whole and its last good version (from memory, or from the {@link LastGoodStore} after a restart)
 * stays live, while every other document applies: one bad file never takes the others down. A
 * document that disappears from its source was deleted on purpose and is dropped. Pipeline thread
 * only.
 */
final class DocumentGate {

  /** The gate's decision for one snapshot. */
  record Admission(
      List<ParsedDocument> live,
      List<Diagnostic> rejectedDiagnostics,
      List<DocumentStatus> statuses) {}

  private final IngressTranslator translator;
  private final Function<RegistryConfig, String> registryCheck;
  private final LastGoodStore store;
  private final Map<SourceRef, ParsedDocument> lastGood = new TreeMap<>();
  // Parsing dominates translation cost (bench/translate-scale.sh); an edit of one document out of a
  // hundred re-parses only that one. Keyed by source; reused only when the version is unchanged.
  private Map<SourceRef, ParsedDocument> parsed = new TreeMap<>();

  /**
   * Creates the gate.
   *
   * @param registryCheck returns an error message for an invalid registry entry, or "" when valid
   */
  DocumentGate(
      IngressTranslator translator,
      Function<RegistryConfig, String> registryCheck,
      LastGoodStore store) {
    this.translator = translator;
    this.registryCheck = registryCheck;
    this.store = store;
    for (RouteDocument d : store.documents().values()) {
      ParsedDocument p = parse(d);
      if (!p.hasErrors()) {
        lastGood.put(d.source(), p);
      }
    }
  }

  Admission admit(RouteSnapshot snapshot) {
    Map<SourceRef, ParsedDocument> live = new LinkedHashMap<>();
    List<Diagnostic> rejected = new ArrayList<>();
    List<DocumentStatus> statuses = new ArrayList<>();
    Map<SourceRef, ParsedDocument> nextParsed = new TreeMap<>();
    for (RouteDocument doc : snapshot.documents()) {
      ParsedDocument cached = parsed.get(doc.source());
      ParsedDocument p = cached != null && cached.document().equals(doc) ? cached : parse(doc);
      nextParsed.put(doc.source(), p);
      if (!p.hasErrors()) {
        live.put(doc.source(), p);
        statuses.add(new DocumentStatus(doc.source(), doc.version(), doc.version(), "applied"));
        continue;
      }
      rejected.addAll(p.diagnostics());
      ParsedDocument previous = lastGood.get(doc.source());
      if (previous != null) {
        live.put(doc.source(), previous);
        statuses.add(
            new DocumentStatus(
                doc.source(), doc.version(), previous.document().version(), "rejected"));
      } else {
        statuses.add(new DocumentStatus(doc.source(), doc.version(), null, "rejected-none-live"));
      }
    }
    parsed = nextParsed;
    lastGood.clear();
    lastGood.putAll(live);
    Map<SourceRef, RouteDocument> persisted = new TreeMap<>();
    live.forEach((ref, p) -> persisted.put(ref, p.document()));
    store.replace(persisted);
    return new Admission(List.copyOf(live.values()), rejected, statuses);
  }

  /** Parses a document and validates its registry entries with the adapters that will run them. */
  private ParsedDocument parse(RouteDocument doc) {
    ParsedDocument p = translator.parse(doc);
    List<Diagnostic> extra = new ArrayList<>();
    for (McpBridgeResource b : p.bridges()) {
      for (int i = 0; i < b.registries().size(); i++) {
        RegistryConfig r = b.registries().get(i);
        String error = registryCheck.apply(r);
        if (!error.isEmpty()) {
          Severity s = error.startsWith("unavailable:") ? Severity.WARNING : Severity.ERROR;
          extra.add(
              new Diagnostic(
                  s,
                  doc.source(),
                  b.at().line(),
                  b.at().column(),
                  b.at().path() + ".spec.registries[" + i + "]",
                  "registry " + r.key() + ": " + error.replaceFirst("^unavailable:", "")));
        }
      }
    }
    return p.withDiagnostics(extra);
  }
}
