package io.gangway.server.cli;

import io.gangway.server.source.file.FileRouteSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code Inputs} reads route files and directories for the offline commands, exactly as the running
 * gateway's file source lists them (symbolic links followed, hidden entries skipped). A path that
 * cannot be read is an error; a path that holds no route file is a warning on stderr, since
 * checking nothing must not look like a clean result.
 */
final class Inputs {

  private Inputs() {}

  static FileRouteSource.Reading read(List<Path> paths) throws StartupException {
    for (Path p : paths) {
      if (!Files.exists(p)) {
        throw new StartupException(
            StartupException.CONFIG,
            p
                + (Files.isSymbolicLink(p)
                    ? " is a symbolic link whose target does not exist"
                    : " does not exist"));
      }
    }
    FileRouteSource.Reading r = new FileRouteSource(paths, Duration.ofSeconds(5)).readAll();
    if (!r.errors().isEmpty()) {
      throw new StartupException(StartupException.CONFIG, String.join("; ", r.errors()));
    }
    for (Path p : r.emptyRoots()) {
      System.err.println("gangway: warning: " + p + " holds no route files (*.yaml, *.yml)");
    }
    return r;
  }
}
