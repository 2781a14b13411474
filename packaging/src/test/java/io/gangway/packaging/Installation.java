package io.gangway.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * {@code Installation} is the tar.gz unpacked into a fresh directory, as a user installs it, with
 * only the ports (and Envoy's base id and drain time) changed so tests can run side by side.
 */
final class Installation implements AutoCloseable {

  final Path home;
  final int httpPort;
  final int adminPort;
  final int envoyAdminPort;

  private Installation(Path home, int httpPort, int adminPort, int envoyAdminPort) {
    this.home = home;
    this.httpPort = httpPort;
    this.adminPort = adminPort;
    this.envoyAdminPort = envoyAdminPort;
  }

  /** Unpacks {@code -Dgangway.dist} and moves its ports to free ones. */
  static Installation unpack() throws Exception {
    Path dist = Path.of(System.getProperty("gangway.dist"));
    assertThat(dist).exists();
    Path dir = Files.createTempDirectory("gangway-install");
    run(dir, Duration.ofMinutes(1), "tar", "-xzf", dist.toString());
    Path home;
    try (Stream<Path> s = Files.list(dir)) {
      home = s.findFirst().orElseThrow();
    }
    Installation i = new Installation(home, freePort(), freePort(), freePort());
    Path conf = home.resolve("conf/gangway.yaml");
    Files.writeString(
        conf,
        Files.readString(conf)
            .replace("port: 8080", "port: " + i.httpPort)
            .replace("port: 15010", "port: " + freePort())
            .replace("port: 15020", "port: " + i.adminPort)
            .replace("port: 15000", "port: " + i.envoyAdminPort)
            .replace("port: 15090", "port: " + freePort())
            .replace(
                "# baseId: 15000",
                "baseId: " + (40_000 + ThreadLocalRandom.current().nextInt(10_000)))
            .replace("drainSeconds: 15", "drainSeconds: 1"));
    return i;
  }

  /** Runs {@code cmd} in the home directory; asserts exit status 0 and returns the output. */
  String run(Duration timeout, String... cmd) throws Exception {
    return run(home, timeout, cmd);
  }

  static String run(Path dir, Duration timeout, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    String text = new String(out, java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.exitValue())
        .as("%s exit status; output:%n%s", String.join(" ", cmd), text)
        .isZero();
    return text;
  }

  /** Stops whatever {@code bin/startup.sh} started. */
  @Override
  public void close() throws Exception {
    if (Files.exists(home.resolve("run/supervisor.pid"))) {
      run(Duration.ofMinutes(1), "bin/shutdown.sh", "--now");
    }
  }

  /** A free port not handed out before: two binds in a row may get the same ephemeral port. */
  private static synchronized int freePort() throws IOException {
    for (int attempt = 0; ; attempt++) {
      try (ServerSocket s = new ServerSocket(0)) {
        if (HANDED_OUT.add(s.getLocalPort()) || attempt > 100) {
          return s.getLocalPort();
        }
      }
    }
  }

  private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();
}
