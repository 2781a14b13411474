package io.gangway.spi.route;

import static java.util.Objects.requireNonNull;

/**
 * {@code SourceRef} names where a route document came from, so that every diagnostic can point an
 * operator at the exact file or Nacos dataId to fix.
 *
 * @param scheme the route source kind, {@code file} or {@code nacos}
 * @param location a file path, or {@code namespace/group/dataId} for Nacos
 */
public record SourceRef(String scheme, String location) implements Comparable<SourceRef> {

  /** Validates both parts. */
  public SourceRef {
    requireNonNull(scheme, "scheme");
    requireNonNull(location, "location");
  }

  /** Returns a reference to a local file. */
  public static SourceRef file(String path) {
    return new SourceRef("file", path);
  }

  @Override
  public int compareTo(SourceRef other) {
    int c = scheme.compareTo(other.scheme);
    return c != 0 ? c : location.compareTo(other.location);
  }

  /**
   * Returns the location as an operator reads it: the path for files, {@code nacos:ns/group/dataId}
   * otherwise.
   */
  @Override
  public String toString() {
    return "file".equals(scheme) ? location : scheme + ":" + location;
  }
}
