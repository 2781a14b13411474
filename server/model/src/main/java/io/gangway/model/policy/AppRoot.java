package io.gangway.model.policy;

import static java.util.Objects.requireNonNull;

/**
 * {@code AppRoot} makes a host answer {@code GET /} (exactly) with {@code 302} to the application's
 * root path ({@code app-root}, domain scope): an extra route before the host's own routes.
 *
 * @param path the path the redirect points at, starting with {@code /}
 */
public record AppRoot(String path) implements Policy {

  /** Validates the path. */
  public AppRoot {
    requireNonNull(path, "path");
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path: " + path + " (expected: starting with /)");
    }
  }
}
