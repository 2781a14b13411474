package io.gangway.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.echo.EchoServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The tar.gz as a user runs it: unpack into an empty directory, {@code bin/startup.sh}, curl
 * through Envoy, kill -9 Envoy and see a new one serve, kill -9 the JVM under a request loop and
 * see no request fail, {@code bin/shutdown.sh}, and no Gangway or Envoy process left behind.
 */
class DistributionIT {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private EchoServer backend1;
  private EchoServer backend2;
  private Path home;
  private int httpPort;
  private int adminPort;

  @BeforeEach
  void unpack() throws Exception {
    Path dist = Path.of(System.getProperty("gangway.dist"));
    assertThat(dist).exists();
    Path dir = Files.createTempDirectory("gangway-dist");
    run(dir, Duration.ofMinutes(1), "tar", "-xzf", dist.toString());
    try (Stream<Path> s = Files.list(dir)) {
      home = s.findFirst().orElseThrow();
    }
    assertThat(home.getFileName().toString()).startsWith("gangway-");
    for (String p :
        List.of(
            "bin/startup.sh",
            "bin/shutdown.sh",
            "bin/status.sh",
            "bin/supervise.sh",
            "conf/gangway.yaml",
            "conf/routes/example.yaml",
            "envoy-bootstrap/install-envoy.sh",
            "packaging/systemd/gangway.service",
            "packaging/grafana/gangway.json",
            "packaging/prometheus/prometheus.yml",
            "packaging/prometheus/gangway-rules.yml")) {
      assertThat(home.resolve(p)).as("tar.gz contains %s", p).exists();
    }
    assertThat(Files.isExecutable(home.resolve("bin/startup.sh"))).isTrue();
    backend1 = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "echo-1");
    backend2 = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "echo-2");
    httpPort = freePort();
    adminPort = freePort();
    int envoyAdmin = freePort();
    // Only ports change: the shipped conf and example routes are what a user gets.
    Path conf = home.resolve("conf/gangway.yaml");
    Files.writeString(
        conf,
        Files.readString(conf)
            .replace("port: 8080", "port: " + httpPort)
            .replace("port: 15010", "port: " + freePort())
            .replace("port: 15020", "port: " + adminPort)
            .replace("port: 15000", "port: " + envoyAdmin)
            .replace("port: 15090", "port: " + freePort())
            .replace(
                "# baseId: 15000",
                "baseId: " + (30_000 + ThreadLocalRandom.current().nextInt(10_000)))
            .replace("drainSeconds: 15", "drainSeconds: 2"));
    Path routes = home.resolve("conf/routes/example.yaml");
    Files.writeString(
        routes,
        Files.readString(routes)
            .replace(
                "127.0.0.1:8001,127.0.0.1:8002",
                "127.0.0.1:" + backend1.port() + ",127.0.0.1:" + backend2.port()));
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (home != null && Files.exists(home.resolve("run/supervisor.pid"))) {
      run(home, Duration.ofMinutes(1), "bin/shutdown.sh");
    }
    backend1.close();
    backend2.close();
  }

  @Test
  void tarball_startKillAndStop_servesThroughoutAndLeavesNoProcess() throws Exception {
    long t0 = System.nanoTime();
    String out = run(home, Duration.ofMinutes(3), "bin/startup.sh");
    assertThat(out).contains("Gangway started");
    assertThat(out)
        .as("start-up reports what was applied")
        .containsPattern("Route documents: [1-9][0-9]* applied, 0 rejected");
    await("first 200 through Envoy", Duration.ofSeconds(30), () -> status("/hello") == 200);
    System.out.printf(
        "startup (bin/startup.sh -> first 200): %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    assertThat(run(home, Duration.ofSeconds(30), "bin/status.sh")).contains("ready         true");

    long envoy = pid("envoy");
    long jvm = pid("gangway");
    ProcessHandle.of(envoy).orElseThrow().destroyForcibly();
    long killed = System.nanoTime();
    await(
        "a new Envoy serves",
        Duration.ofSeconds(5),
        () -> pidOrZero("envoy") != envoy && status("/after-envoy") == 200);
    System.out.printf(
        "Envoy kill -9 -> new Envoy serving: %d ms%n", (System.nanoTime() - killed) / 1_000_000);
    assertThat(pid("gangway")).as("the JVM is untouched when Envoy dies").isEqualTo(jvm);

    long envoy2 = pid("envoy");
    AtomicInteger ok = new AtomicInteger();
    AtomicReference<String> failure = new AtomicReference<>();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread loop =
        new Thread(
            () -> {
              while (running.get()) {
                int s = status("/loop");
                if (s == 200) {
                  ok.incrementAndGet();
                } else {
                  failure.compareAndSet(null, "status " + s);
                }
              }
            });
    loop.start();
    try {
      await("the loop runs", Duration.ofSeconds(5), () -> ok.get() > 20);
      ProcessHandle.of(jvm).orElseThrow().destroyForcibly();
      await(
          "the supervisor starts a new JVM",
          Duration.ofSeconds(30),
          () ->
              pidOrZero("gangway") != jvm
                  && pidOrZero("gangway") != 0
                  && Files.exists(home.resolve("run/gangway.ready")));
      int at = ok.get();
      await("traffic continues", Duration.ofSeconds(5), () -> ok.get() > at + 50);
    } finally {
      running.set(false);
      loop.join(5000);
    }
    assertThat(failure.get()).as("requests while the JVM was killed and restarted").isNull();
    assertThat(pid("envoy")).as("Envoy is untouched when the JVM dies").isEqualTo(envoy2);

    List<Long> pids = List.of(pid("supervisor"), pid("gangway"), pid("envoy"));
    run(home, Duration.ofMinutes(1), "bin/shutdown.sh");
    for (long p : pids) {
      assertThat(running(p)).as("pid %d after shutdown", p).isFalse();
    }
    assertThat(
            ProcessHandle.allProcesses()
                .filter(
                    p ->
                        running(p.pid())
                            && p.info().commandLine().orElse("").contains(home.toString()))
                .toList())
        .as("processes of this install after shutdown")
        .isEmpty();
    assertThat(status("/")).as("nothing listens any more").isEqualTo(-1);
  }

  /** A route document that passes Gangway's checks and that Envoy rejects (RE2 program > 100). */
  private static String nackedDocument(String path, String pathType) {
    return """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: extra
          namespace: default
          annotations:
            nginx.ingress.kubernetes.io/use-regex: "true"
            higress.io/destination: echo.static
        spec:
          rules:
            - host: extra.test
              http:
                paths:
                  - path: "%s"
                    pathType: %s
                    backend:
                      resource: {apiGroup: networking.higress.io, kind: McpBridge, name: default}
        """
        .formatted(path, pathType);
  }

  /**
   * Issue 10 item 6: {@code bin/status.sh} shows {@code bin/gangway status} (each Envoy's ACK or
   * NACK per xDS type) and exits 1 while a NACK is in force, also with {@code --quiet} (process
   * lines only) and without a runnable java (the raw {@code /status} JSON).
   */
  @Test
  void tarball_statusSh_showsEachEnvoysAckOrNack_andExitsNonZeroWhileANackIsInForce()
      throws Exception {
    run(home, Duration.ofMinutes(3), "bin/startup.sh");
    Script ok = script(java.util.Map.of(), "bin/status.sh");
    assertThat(ok.status()).as(ok.toString()).isZero();
    assertThat(ok.out())
        .containsPattern("(?m)^supervisor +running \\(pid \\d+, state running\\)$")
        .contains("$ bin/gangway status --admin http://127.0.0.1:" + adminPort + "\n")
        .contains("ready         true")
        .containsPattern("(?m)^ENVOY +STREAM +CONNECTED +CLUSTERS +ENDPOINTS +LISTENERS +ROUTES$")
        .containsPattern("(?m)^vm-\\S+ +\\d+ +\\S+ +ACK \\S+ +ACK \\S+ +ACK \\S+ +ACK \\S+$")
        .doesNotContain("NACK");
    assertThat(ok.err()).isEmpty();

    String tooBig =
        "/("
            + java.util.stream.IntStream.range(0, 40)
                .mapToObj(i -> "seg" + i + "[a-z]+")
                .collect(java.util.stream.Collectors.joining("|"))
            + ")/x";
    Path extra = home.resolve("conf/routes/extra.yaml");
    Files.writeString(extra, nackedDocument(tooBig, "ImplementationSpecific"));
    await(
        "status.sh -q exits 1 on the NACK",
        Duration.ofSeconds(20),
        () -> script(java.util.Map.of(), "bin/status.sh", "-q").status() == 1);

    Script nacked = script(java.util.Map.of(), "bin/status.sh");
    assertThat(nacked.status()).as(nacked.toString()).isEqualTo(1);
    assertThat(nacked.out())
        .contains("ready         false")
        .containsPattern("(?m)^vm-\\S+ .* NACK \\(in force: [0-9a-f]+\\)$")
        .containsPattern("NACK: Envoy vm-\\S+ rejected routes at \\S+: regex .*RE2 program size");
    assertThat(nacked.err())
        .isEqualTo(
            "gangway: ENVOY REJECTED A PUSH (NACK): the previously accepted config stays in force"
                + " (see the NACK line of bin/gangway status, \"envoys\" in /status,"
                + " logs/gangway.log)\n");
    assertThat(status("/hello")).as("the accepted config stays in force").isEqualTo(200);

    Script quiet = script(java.util.Map.of(), "bin/status.sh", "--quiet");
    assertThat(quiet.status()).as(quiet.toString()).isEqualTo(1);
    assertThat(quiet.out().lines().map(l -> l.split(" +")[0]).toList())
        .as("--quiet: the process lines only")
        .containsExactly("supervisor", "gangway", "envoy");
    assertThat(quiet.err()).isEqualTo(nacked.err());

    Script raw = script(java.util.Map.of("JAVA", "/nonexistent/java"), "bin/status.sh");
    assertThat(raw.status()).as(raw.toString()).isEqualTo(1);
    assertThat(raw.out())
        .contains("(bin/gangway status did not run: ")
        .contains("GET http://127.0.0.1:" + adminPort + "/status")
        .contains("\"nack\" : {");
    assertThat(raw.err()).isEqualTo(nacked.err());

    // The next good edit of that document (Envoy ACKs it) clears the NACK.
    Files.writeString(extra, nackedDocument("/fixed", "Prefix"));
    await(
        "status.sh -q exits 0 again",
        Duration.ofSeconds(20),
        () -> script(java.util.Map.of(), "bin/status.sh", "-q").status() == 0);
    Script fixed = script(java.util.Map.of(), "bin/status.sh");
    assertThat(fixed.status()).as(fixed.toString()).isZero();
    assertThat(fixed.out()).contains("ready         true").doesNotContain("NACK");
    assertThat(fixed.err()).isEmpty();
  }

  /** What a script printed, stdout and stderr apart, and its exit status. */
  private record Script(int status, String out, String err) {
    @Override
    public String toString() {
      return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private Script script(java.util.Map<String, String> env, String... cmd) {
    try {
      Path out = Files.createTempFile("status", ".out");
      Path err = Files.createTempFile("status", ".err");
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(home.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("%s finishes", String.join(" ", cmd)).isTrue();
      Script s = new Script(p.exitValue(), Files.readString(out), Files.readString(err));
      Files.delete(out);
      Files.delete(err);
      return s;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Returns whether {@code pid} is a running process. An exited process waiting to be reaped by
   * init (state Z) holds no resources and counts as gone.
   */
  private static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return false;
    }
  }

  private int status(String path) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private long pid(String name) throws IOException {
    return Long.parseLong(Files.readString(home.resolve("run/" + name + ".pid")).trim());
  }

  private long pidOrZero(String name) {
    try {
      return pid(name);
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Issue 8 items 13 and 15: a crash-looping JVM must not stop Envoy; a stopped JVM is not
   * "running".
   */
  @Test
  void tarball_jvmCrashLoopAndSigstop_keepsEnvoyAndStatusTellsTheTruth() throws Exception {
    Files.writeString(
        home.resolve("conf/gangway.env"),
        "GANGWAY_MAX_RESTARTS=1\n",
        java.nio.file.StandardOpenOption.APPEND);
    run(home, Duration.ofMinutes(3), "bin/startup.sh");
    long envoy = pid("envoy");
    long jvm = pid("gangway");
    new ProcessBuilder("kill", "-STOP", Long.toString(jvm)).start().waitFor();
    Process st =
        new ProcessBuilder("bin/status.sh", "-q")
            .directory(home.toFile())
            .redirectErrorStream(true)
            .start();
    String stOut = new String(st.getInputStream().readAllBytes());
    assertThat(st.waitFor(20, TimeUnit.SECONDS)).isTrue();
    assertThat(st.exitValue()).as(stOut).isEqualTo(1);
    assertThat(stOut).contains("NOT RESPONDING");
    new ProcessBuilder("kill", "-CONT", Long.toString(jvm)).start().waitFor();

    Path conf = home.resolve("conf/gangway.yaml");
    String good = Files.readString(conf);
    Files.writeString(conf, good.replaceFirst("(?m)^xds:", "xds:\n  port: notanumber\nxdsOld:"));
    ProcessHandle.of(jvm).ifPresent(ProcessHandle::destroyForcibly);
    Path state = home.resolve("run/supervisor.state");
    await(
        "supervisor state degraded",
        Duration.ofSeconds(60),
        () -> Files.exists(state) && readQuietly(state).startsWith("degraded"));
    assertThat(running(envoy)).as("Envoy keeps serving while the JVM crash-loops").isTrue();
  }

  private static String readQuietly(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "";
    }
  }

  private static String run(Path dir, Duration timeout, String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    String text = new String(out);
    assertThat(p.exitValue())
        .as("%s exit status; output:%n%s", String.join(" ", cmd), text)
        .isZero();
    return text;
  }

  private static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("timed out waiting until %s", what).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
