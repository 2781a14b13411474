package io.gangway.server.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code Envoys} finds the real Envoy binary for end-to-end tests: {@code ENVOY_BIN}, then the
 * project's pinned install ({@code envoy-bootstrap/bin/envoy}), then {@code envoy} on the PATH, and
 * otherwise runs the project's own installer. It never skips: without Envoy the test fails.
 */
final class Envoys {

  private Envoys() {}

  static Path binary() throws IOException, InterruptedException {
    String env = System.getenv("ENVOY_BIN");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    Path repo = repoRoot();
    Path pinned = repo.resolve("envoy-bootstrap/bin/envoy");
    if (Files.isExecutable(pinned)) {
      return pinned;
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path p = Path.of(dir, "envoy");
      if (!dir.isEmpty() && Files.isExecutable(p)) {
        return p;
      }
    }
    Process install =
        new ProcessBuilder("bash", repo.resolve("envoy-bootstrap/install-envoy.sh").toString())
            .inheritIO()
            .start();
    if (!install.waitFor(5, TimeUnit.MINUTES)
        || install.exitValue() != 0
        || !Files.isExecutable(pinned)) {
      throw new IllegalStateException(
          "no Envoy: set ENVOY_BIN or run envoy-bootstrap/install-envoy.sh");
    }
    return pinned;
  }

  /** Returns the repository root (tests run in server/gateway). */
  static Path repoRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("envoy-bootstrap/install-envoy.sh"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException(
          "cannot find the repository root from " + Path.of("").toAbsolutePath());
    }
    return p;
  }
}
