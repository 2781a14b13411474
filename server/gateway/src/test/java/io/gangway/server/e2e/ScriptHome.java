package io.gangway.server.e2e;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * {@code ScriptHome} lays out an install as the tar.gz does ({@code bin/} and {@code
 * conf/logback.xml} from the repository, {@code lib/} from this test's classpath, a {@code
 * gangway.yaml} on free loopback ports), so that the {@code bin/} scripts can be run against the
 * JVM under test without the assembly.
 */
final class ScriptHome implements AutoCloseable {

  /** What a script printed (stdout and stderr together) and its exit status. */
  record Result(int status, String output) {}

  final Path home;

  private ScriptHome(Path home) {
    this.home = home;
  }

  /** Creates a home whose {@code conf/routes/routes.yaml} holds {@code routes}. */
  static ScriptHome create(String routes) throws IOException {
    Path home = Files.createTempDirectory("gangway-scripts");
    Path repo = Envoys.repoRoot();
    Files.createDirectories(home.resolve("bin"));
    try (Stream<Path> s = Files.list(repo.resolve("bin"))) {
      for (Path p : s.toList()) {
        Path target = home.resolve("bin").resolve(p.getFileName());
        Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
    Files.createDirectories(home.resolve("envoy-bootstrap"));
    Files.copy(
        repo.resolve("envoy-bootstrap/envoy.version"),
        home.resolve("envoy-bootstrap/envoy.version"));
    Files.createDirectories(home.resolve("conf/routes"));
    Files.copy(repo.resolve("conf/logback.xml"), home.resolve("conf/logback.xml"));
    Files.writeString(
        home.resolve("conf/gangway.yaml"),
        """
        gateway:
          listeners: [{address: 127.0.0.1, port: %d}]
        xds: {address: 127.0.0.1, port: %d}
        admin: {address: 127.0.0.1, port: %d}
        envoy:
          admin: {address: 127.0.0.1, port: %d}
          stats: {address: 127.0.0.1, port: %d}
          concurrency: 1
          drainSeconds: 1
        """
            .formatted(
                GatewayHarness.freePort(),
                GatewayHarness.freePort(),
                GatewayHarness.freePort(),
                GatewayHarness.freePort(),
                GatewayHarness.freePort()));
    Files.writeString(home.resolve("conf/gangway.env"), "");
    Files.writeString(home.resolve("conf/routes/routes.yaml"), routes, StandardCharsets.UTF_8);
    buildLib(home.resolve("lib"));
    return new ScriptHome(home);
  }

  /**
   * Fills {@code lib/} with the main classpath of this test: jars are linked, class directories
   * (reactor modules not yet packaged) are jarred, as {@code -cp lib/*} only picks up jars.
   */
  private static void buildLib(Path lib) throws IOException {
    Files.createDirectories(lib);
    int i = 0;
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path p = Path.of(entry);
      if (entry.isEmpty()
          || !Files.exists(p)
          || p.getFileName().toString().equals("test-classes")) {
        continue;
      }
      String name = String.format("%03d-", i++);
      if (Files.isDirectory(p)) {
        jar(p, lib.resolve(name + p.getParent().getParent().getFileName() + ".jar"));
      } else if (entry.endsWith(".jar")) {
        Files.createSymbolicLink(lib.resolve(name + p.getFileName()), p.toAbsolutePath());
      }
    }
  }

  private static void jar(Path dir, Path jar) throws IOException {
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream j = new JarOutputStream(out);
        Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        j.putNextEntry(new JarEntry(dir.relativize(f).toString().replace('\\', '/')));
        Files.copy(f, j);
        j.closeEntry();
      }
    }
  }

  /** Appends {@code lines} to {@code conf/gangway.env}. */
  void addEnv(String lines) throws IOException {
    Files.writeString(
        home.resolve("conf/gangway.env"), lines, java.nio.file.StandardOpenOption.APPEND);
  }

  /** Writes an executable script at {@code relative} (for stand-ins of {@code java} or Envoy). */
  Path writeScript(String relative, String content) throws IOException {
    Path p = home.resolve(relative);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  /**
   * Runs {@code command} (a path under the home, e.g. {@code bin/startup.sh}) with {@code env}
   * added.
   */
  Result run(Duration timeout, Map<String, String> env, String... command) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(command));
    cmd.set(0, home.resolve(command[0]).toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true);
    pb.environment().keySet().removeIf(k -> k.startsWith("GANGWAY_") || k.startsWith("NACOS_"));
    pb.environment().putAll(env);
    Path out = Files.createTempFile(home, "script", ".out");
    Process p = pb.redirectOutput(out.toFile()).start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(
          String.join(" ", command)
              + " did not finish within "
              + timeout
              + ":\n"
              + Files.readString(out));
    }
    return new Result(p.exitValue(), Files.readString(out));
  }

  String read(String relative) {
    try {
      return Files.readString(home.resolve(relative));
    } catch (IOException e) {
      return "";
    }
  }

  /** Stops what {@code bin/startup.sh} may have left running. */
  @Override
  public void close() throws Exception {
    if (Files.exists(home.resolve("run/supervisor.pid"))) {
      run(Duration.ofMinutes(1), Map.of(), "bin/shutdown.sh");
    }
  }
}
