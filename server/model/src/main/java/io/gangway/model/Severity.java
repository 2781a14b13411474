package io.gangway.model;

/** How bad a {@link Diagnostic} is. */
public enum Severity {
  /** The document is rejected; its last good version stays live. */
  ERROR,
  /** The document applies, with the named part degraded or ignored. */
  WARNING;

  /** Returns the lower-case label used in CLI output. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
