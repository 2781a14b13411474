package io.gangway.ingress.yaml;

import io.gangway.model.Diagnostic;
import io.gangway.model.Severity;
import io.gangway.spi.route.SourceRef;
import java.util.ArrayList;
import java.util.List;

/** {@code Diagnostics} collects the diagnostics of one document. Not thread-safe; one per parse. */
public final class Diagnostics {

  private final SourceRef source;
  private final List<Diagnostic> items = new ArrayList<>();

  /** Creates a collector for {@code source}. */
  public Diagnostics(SourceRef source) {
    this.source = source;
  }

  /** Returns the document these diagnostics are about. */
  public SourceRef source() {
    return source;
  }

  /** Records an error at {@code at}: the document will be rejected. */
  public void error(YNode at, String message) {
    items.add(new Diagnostic(Severity.ERROR, source, at.line(), at.column(), at.path(), message));
  }

  /** Records a warning at {@code at}: the document applies, degraded. */
  public void warn(YNode at, String message) {
    items.add(new Diagnostic(Severity.WARNING, source, at.line(), at.column(), at.path(), message));
  }

  /** Records a diagnostic that has a position but no node (e.g. a YAML syntax error). */
  public void add(Severity severity, int line, int column, String path, String message) {
    items.add(new Diagnostic(severity, source, line, column, path, message));
  }

  /** Returns whether any error was recorded. */
  public boolean hasErrors() {
    return items.stream().anyMatch(Diagnostic::isError);
  }

  /** Returns the number recorded so far; used to tell whether one object added errors. */
  public int errorCount() {
    return (int) items.stream().filter(Diagnostic::isError).count();
  }

  /** Returns a copy of everything recorded. */
  public List<Diagnostic> all() {
    return List.copyOf(items);
  }
}
