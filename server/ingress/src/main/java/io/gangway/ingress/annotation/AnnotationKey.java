package io.gangway.ingress.annotation;

import static java.util.Objects.requireNonNull;

/**
 * {@code AnnotationKey} is one annotation a family reads, without its prefix.
 *
 * @param name the key after the prefix ({@code enable-cors}); for a {@link #prefix()} key the part
 *     all its keys start with ({@code exact-match-header-})
 * @param higressOnly read only as {@code higress.io/<name>} (the keys marked H in Higress's docs);
 *     otherwise {@code nginx.ingress.kubernetes.io/<name>} is tried first, then {@code
 *     higress.io/<name>}
 * @param failClosed an invalid value is an error that rejects the document (its last good version
 *     stays live) instead of a warning: for keys whose absence would open access (an IP allow list)
 *     or weaken transport security
 * @param prefix the key is a family of keys: {@code name} is followed by a user part (a header
 *     name)
 */
public record AnnotationKey(String name, boolean higressOnly, boolean failClosed, boolean prefix) {

  /** Validates the name. */
  public AnnotationKey {
    requireNonNull(name, "name");
    if (name.isEmpty() || name.contains("/")) {
      throw new IllegalArgumentException("name: '" + name + "' (expected: a key without prefix)");
    }
  }

  /** Returns a key read with either prefix, nginx's first. */
  public static AnnotationKey of(String name) {
    return new AnnotationKey(name, false, false, false);
  }

  /** Returns a key read only with the {@code higress.io/} prefix. */
  public static AnnotationKey higress(String name) {
    return new AnnotationKey(name, true, false, false);
  }

  /** Returns a family of {@code higress.io/<start><user part>} keys. */
  public static AnnotationKey higressPrefix(String start) {
    return new AnnotationKey(start, true, false, true);
  }

  /** Returns this key with invalid values rejecting the document. */
  public AnnotationKey failingClosed() {
    return new AnnotationKey(name, higressOnly, true, prefix);
  }

  /** Returns whether {@code bare} (a key without prefix) is this key, or one of its family. */
  boolean matches(String bare) {
    return prefix ? bare.startsWith(name) && bare.length() > name.length() : bare.equals(name);
  }
}
