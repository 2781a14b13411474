package io.gangway.server.cli;

import io.gangway.server.source.file.FileRouteSource;
import io.gangway.spi.route.RouteSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** {@code Inputs} reads route files and directories for the offline commands. */
final class Inputs {

  private Inputs() {}

  static RouteSnapshot read(List<Path> paths) throws StartupException {
    for (Path p : paths) {
      if (!Files.exists(p)) {
        throw new StartupException(StartupException.CONFIG, p + " does not exist");
      }
    }
    return new FileRouteSource(paths, Duration.ofSeconds(5)).readOnce();
  }
}
