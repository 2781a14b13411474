package io.gangway.server.e2e;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code GatewayHarness} runs the real thing on loopback for one test class: the Gangway JVM as a
 * separate {@code java} process (the same main class the scripts start) and a real Envoy
 * bootstrapped from the file the JVM writes. Ports are picked free; everything lives in a temporary
 * home.
 */
final class GatewayHarness implements AutoCloseable {

  final Path home;
  final int httpPort = freePort();
  final int xdsPort = freePort();
  final int adminPort = freePort();
  final int envoyAdminPort = freePort();

  /** Envoy's stats listener ({@code envoy.stats}): only {@code GET /stats/prometheus}. */
  final int envoyStatsPort = freePort();

  /** A free port for a TLS listener; nothing listens on it unless a test configures one. */
  final int httpsPort = freePort();

  private final int baseId = 20_000 + ThreadLocalRandom.current().nextInt(10_000);
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private Process jvm;
  private Process envoy;

  GatewayHarness(String routes) throws IOException {
    home = Files.createTempDirectory("gangway-e2e");
    Files.createDirectories(home.resolve("conf/routes"));
    Files.createDirectories(home.resolve("logs"));
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
        routes:
          debounce: 100ms
        """
            .formatted(httpPort, xdsPort, adminPort, envoyAdminPort, envoyStatsPort));
    writeRoutes(routes);
  }

  /**
   * Adds lines to the {@code gateway:} section of {@code gangway.yaml} (indented by the caller as
   * its children, e.g. a {@code tls:} block); call before {@link #startJvm()}.
   */
  void addGatewayConfig(String lines) throws IOException {
    Path conf = home.resolve("conf/gangway.yaml");
    String text = Files.readString(conf);
    Files.writeString(
        conf,
        text.replaceFirst(
            "(?m)^gateway:\n", "gateway:\n" + java.util.regex.Matcher.quoteReplacement(lines)));
  }

  /**
   * Replaces a file under {@code conf/} atomically (temp file + rename), creating its directory.
   */
  /**
   * Appends lines to the {@code routes:} section of {@code gangway.yaml} (e.g. to switch to Nacos).
   */
  void addRoutesConfig(String lines) throws IOException {
    Path conf = home.resolve("conf/gangway.yaml");
    String text = Files.readString(conf);
    Files.writeString(
        conf,
        text.replaceFirst(
            "(?m)^routes:\n", "routes:\n" + java.util.regex.Matcher.quoteReplacement(lines)));
  }

  void writeConf(String relative, String content) throws IOException {
    Path target = home.resolve("conf").resolve(relative);
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Replaces the route file as an editor would: write a temp file, then rename over the old one.
   */
  void writeRoutes(String yaml) throws IOException {
    Path tmp = home.resolve("conf/.routes.yaml.tmp");
    Files.writeString(tmp, yaml, StandardCharsets.UTF_8);
    Files.move(
        tmp,
        home.resolve("conf/routes/routes.yaml"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** Starts the JVM and waits for {@code gangway.ready}. */
  void startJvm() throws Exception {
    Files.deleteIfExists(home.resolve("run/gangway.ready"));
    List<String> cmd =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Dgangway.home=" + home,
                "-Dlogback.configurationFile=" + Envoys.repoRoot().resolve("conf/logback.xml"),
                "-cp",
                System.getProperty("java.class.path"),
                "io.gangway.server.Main",
                "run",
                "--conf",
                home.resolve("conf/gangway.yaml").toString(),
                "--run-dir",
                home.resolve("run").toString(),
                "--data-dir",
                home.resolve("data").toString()));
    jvm =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(home.resolve("logs/gangway.out").toFile()))
            .start();
    await(
        "the JVM writes run/gangway.ready",
        Duration.ofSeconds(60),
        () -> Files.exists(home.resolve("run/gangway.ready")) || !jvm.isAlive());
    if (!jvm.isAlive()) {
      throw new IllegalStateException("JVM exited: " + logs());
    }
  }

  /** Starts Envoy from the bootstrap the JVM wrote and waits until it serves {@code probe}. */
  void startEnvoy() throws Exception {
    envoy =
        new ProcessBuilder(
                Envoys.binary().toString(),
                "-c",
                home.resolve("run/envoy-bootstrap.json").toString(),
                "--base-id",
                String.valueOf(baseId),
                "--concurrency",
                "1",
                "--log-path",
                home.resolve("logs/envoy.log").toString())
            .redirectErrorStream(true)
            .redirectOutput(
                ProcessBuilder.Redirect.appendTo(home.resolve("logs/envoy.out").toFile()))
            .start();
    await(
        "Envoy admin answers LIVE",
        Duration.ofSeconds(30),
        () -> "LIVE".equals(envoyAdmin("/ready").trim()));
  }

  void killJvm() throws InterruptedException {
    jvm.destroyForcibly();
    jvm.waitFor(10, TimeUnit.SECONDS);
  }

  long envoyPid() {
    return envoy.pid();
  }

  boolean envoyAlive() {
    return envoy.isAlive();
  }

  /** Returns an Envoy counter or gauge, or -1 when absent. */
  long envoyStat(String name) {
    String filter =
        java.net.URLEncoder.encode("^" + name.replace(".", "\\.") + "$", StandardCharsets.UTF_8);
    for (String line : envoyAdmin("/stats?filter=" + filter).split("\n")) {
      int colon = line.lastIndexOf(": ");
      if (colon > 0 && line.substring(0, colon).equals(name)) {
        return Long.parseLong(line.substring(colon + 2).trim());
      }
    }
    return -1;
  }

  String envoyAdmin(String path) {
    return get("http://127.0.0.1:" + envoyAdminPort + path);
  }

  String gangwayAdmin(String path) {
    return get("http://127.0.0.1:" + adminPort + path);
  }

  String logs() {
    StringBuilder sb = new StringBuilder();
    for (String f : List.of("gangway.out", "gangway.log", "envoy.log")) {
      try {
        List<String> lines = Files.readAllLines(home.resolve("logs").resolve(f));
        sb.append("\n--- ")
            .append(f)
            .append(" (tail) ---\n")
            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
      } catch (IOException e) {
        sb.append("\n--- ").append(f).append(": ").append(e.getMessage());
      }
    }
    return sb.toString();
  }

  private String get(String url) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  /**
   * Returns a port nothing listens on that this JVM has not handed out before. The kernel may give
   * the same ephemeral port to two binds in a row once the first socket is closed (it did: the TLS
   * listener and the xDS server of one harness got the same port, and Envoy NACKed the listener).
   */
  static int freePort() {
    synchronized (HANDED_OUT) {
      for (int attempt = 0; ; attempt++) {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
          port = s.getLocalPort();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
        if (HANDED_OUT.add(port) || attempt > 100) {
          return port;
        }
      }
    }
  }

  private static final java.util.Set<Integer> HANDED_OUT = new java.util.HashSet<>();

  @Override
  public void close() {
    for (Process p : new Process[] {envoy, jvm}) {
      if (p != null) {
        p.destroy();
        try {
          if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
          }
        } catch (InterruptedException e) {
          p.destroyForcibly();
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
