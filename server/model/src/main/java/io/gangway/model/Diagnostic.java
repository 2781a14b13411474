package io.gangway.model;

import static java.util.Objects.requireNonNull;

import io.gangway.spi.route.SourceRef;

/**
 * {@code Diagnostic} is a problem found in a route document, located precisely enough to fix it.
 *
 * @param severity whether the document was rejected or only degraded
 * @param source the file or dataId
 * @param line 1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 * @param path the YAML path of the offending field, e.g. {@code Ingress/demo.spec.rules[0].host}
 * @param message what is wrong and what was expected
 */
public record Diagnostic(
    Severity severity, SourceRef source, int line, int column, String path, String message) {

  /** Validates all parts. */
  public Diagnostic {
    requireNonNull(severity, "severity");
    requireNonNull(source, "source");
    requireNonNull(path, "path");
    requireNonNull(message, "message");
  }

  /** Returns whether this diagnostic rejects its document. */
  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /**
   * Formats as {@code file:line:col: severity: message (at path)}, the compiler convention editors
   * parse.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(source.toString());
    if (line > 0) {
      sb.append(':').append(line);
      if (column > 0) {
        sb.append(':').append(column);
      }
    }
    sb.append(": ").append(severity.label()).append(": ").append(message);
    if (!path.isEmpty()) {
      sb.append(" (at ").append(path).append(')');
    }
    return sb.toString();
  }
}
