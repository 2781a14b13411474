package io.gangway.server.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * {@code RunFiles} writes the files the supervisor reads (docs/process-contract.md), each
 * atomically.
 */
final class RunFiles {

  static final String BOOTSTRAP = "envoy-bootstrap.json";
  static final String ENV = "envoy.env";
  static final String READY = "gangway.ready";

  /**
   * {@code <n> routes}: what the JVM is loading or serving, for the supervisor's out-of-memory
   * line.
   */
  static final String ROUTES = "gangway.routes";

  private RunFiles() {}

  static void write(Path dir, String name, String content) throws IOException {
    Files.createDirectories(dir);
    Path tmp = dir.resolve("." + name + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(
        tmp,
        dir.resolve(name),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }
}
