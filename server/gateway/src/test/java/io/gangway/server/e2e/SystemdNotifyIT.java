package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gangway.echo.EchoServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * systemd readiness of {@code bin/supervise.sh} (run as the unit runs it, {@code bin/startup.sh
 * --foreground}, with {@code NOTIFY_SOCKET} set): {@code READY=1} only once the JVM's {@code
 * /readyz} answers 200 (Envoy ACKed the config; a config Envoy rejects holds it back), {@code
 * STATUS=} lines before, {@code STOPPING=1} on SIGTERM; and the stop is bounded by the drain time.
 * Java cannot open a unix datagram socket, so a python3 receiver plays systemd: it writes one JSON
 * line per message and, for {@code READY=1} and {@code STOPPING=1}, what {@code /readyz} answered
 * at that moment.
 */
class SystemdNotifyIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The service manager's end: binds the socket, closes passed fds (BARRIER=1), logs. */
  private static final String RECEIVER =
      """
      import array, json, os, socket, sys, time, urllib.error, urllib.request
      path, readyz, out = sys.argv[1], sys.argv[2], sys.argv[3]
      s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
      s.bind(path)
      with open(out, "a", buffering=1) as f:
          f.write(json.dumps({"listening": path}) + "\\n")
          while True:
              data, anc, flags, addr = s.recvmsg(65536, socket.CMSG_SPACE(64 * 4))
              for level, kind, fds in anc:
                  if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                      for fd in array.array("i", fds[: len(fds) - len(fds) % 4]):
                          os.close(fd)
              lines = data.decode("utf-8", "replace").split("\\n")
              code = None
              if "READY=1" in lines or "STOPPING=1" in lines:
                  try:
                      code = urllib.request.urlopen(readyz, timeout=2).status
                  except urllib.error.HTTPError as e:
                      code = e.code
                  except Exception:
                      code = -1
              f.write(json.dumps({"at": time.time(), "lines": lines, "readyz": code}) + "\\n")
      """;

  private final List<AutoCloseable> closing = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (Process p : processes) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  /** One message the receiver got. */
  private record Message(double at, List<String> lines, Integer readyz) {
    boolean has(String line) {
      return lines.contains(line);
    }

    String status() {
      return lines.stream().filter(l -> l.startsWith("STATUS=")).findFirst().orElse("");
    }
  }

  /** A running supervisor with its receiver. */
  private final class Run {
    final ScriptHome home;
    final Path messages;
    final Process supervisor;
    final Path output;

    Run(ScriptHome home, String tool) throws Exception {
      this.home = home;
      Path dir = Files.createTempDirectory("gw-notify");
      Path socket = dir.resolve("notify.sock");
      messages = dir.resolve("messages.jsonl");
      Path receiver = dir.resolve("receiver.py");
      Files.writeString(receiver, RECEIVER);
      Process r =
          new ProcessBuilder(
                  "python3",
                  receiver.toString(),
                  socket.toString(),
                  "http://127.0.0.1:" + adminPort(home) + "/readyz",
                  messages.toString())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("receiver.out").toFile())
              .start();
      processes.add(r);
      GatewayHarness.await(
          "the receiver listens", Duration.ofSeconds(10), () -> Files.exists(socket));
      output = dir.resolve("supervisor.out");
      ProcessBuilder pb =
          new ProcessBuilder(home.home.resolve("bin/startup.sh").toString(), "--foreground")
              .directory(home.home.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("GANGWAY_") || k.startsWith("NACOS_"));
      pb.environment().put("NOTIFY_SOCKET", socket.toString());
      pb.environment().put("GANGWAY_NOTIFY_WITH", tool);
      pb.environment().put("ENVOY_BIN", Envoys.binary().toString());
      supervisor = pb.start();
      processes.add(supervisor);
    }

    List<Message> messages() {
      List<Message> out = new ArrayList<>();
      try {
        for (String line : Files.readAllLines(messages)) {
          JsonNode n = JSON.readTree(line);
          if (n.has("lines")) {
            List<String> lines = new ArrayList<>();
            n.path("lines").forEach(l -> lines.add(l.asText()));
            out.add(
                new Message(
                    n.path("at").asDouble(),
                    lines,
                    n.path("readyz").isNull() ? null : n.path("readyz").asInt()));
          }
        }
      } catch (IOException e) {
        // not written yet
      }
      return out;
    }

    Message await(String line, Duration timeout) throws InterruptedException {
      return await(line, m -> m.has(line), timeout);
    }

    Message await(String what, java.util.function.Predicate<Message> which, Duration timeout)
        throws InterruptedException {
      GatewayHarness.await(
          what + " arrives (" + context() + ")",
          timeout,
          () -> messages().stream().anyMatch(which));
      return messages().stream().filter(which).findFirst().orElseThrow();
    }

    String context() {
      return "messages: "
          + messages()
          + "\n--- supervisor ---\n"
          + read(output)
          + "\n--- supervisor.log ---\n"
          + home.read("logs/supervisor.log");
    }

    /** SIGTERM to the supervisor (as systemctl stop with KillMode=mixed); returns its status. */
    int stop(Duration timeout) throws InterruptedException {
      supervisor.destroy();
      assertThat(supervisor.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS))
          .as("the supervisor stops within %s: %s", timeout, context())
          .isTrue();
      return supervisor.exitValue();
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      return "";
    }
  }

  private static int adminPort(ScriptHome h) {
    Matcher m =
        Pattern.compile("admin: \\{address: 127\\.0\\.0\\.1, port: (\\d+)}")
            .matcher(h.read("conf/gangway.yaml"));
    assertThat(m.find()).as("admin port in gangway.yaml").isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static int httpPort(ScriptHome h) {
    Matcher m =
        Pattern.compile("listeners: \\[\\{address: 127\\.0\\.0\\.1, port: (\\d+)}]")
            .matcher(h.read("conf/gangway.yaml"));
    assertThat(m.find()).as("listener port in gangway.yaml").isTrue();
    return Integer.parseInt(m.group(1));
  }

  private static boolean installed(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  private EchoServer echo() throws IOException {
    EchoServer e = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "a");
    closing.add(e::close);
    return e;
  }

  private static String routes(int echoPort, String extraPath, boolean regex) {
    return RouteYaml.forHost(
            RouteYaml.staticRegistry("a", "127.0.0.1:" + echoPort),
            "{name: web, namespace: default}",
            "a.test",
            "a.static")
        + """
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: extra
          namespace: default
          annotations:
            nginx.ingress.kubernetes.io/use-regex: "%s"
        spec:
          rules:
            - host: extra.test
              http:
                paths:
                  - path: "%s"
                    pathType: ImplementationSpecific
                    backend: {service: {name: a.static, port: {number: 80}}}
        """
            .formatted(regex, extraPath);
  }

  /** A path that passes Gangway's checks and that Envoy rejects (RE2 program size > 100). */
  private static String tooBigRegex() {
    return "/("
        + IntStream.range(0, 40)
            .mapToObj(i -> "seg" + i + "[a-z]+")
            .collect(Collectors.joining("|"))
        + ")/x";
  }

  private ScriptHome home(String routes) throws IOException {
    ScriptHome h = ScriptHome.create(routes);
    closing.add(h);
    return h;
  }

  @ParameterizedTest
  @ValueSource(strings = {"systemd-notify", "python3", "socat"})
  void readyIsSentOnceReadyzAnswers200_andStoppingOnSigterm(String tool) throws Exception {
    // .ci/run installs python3 and socat; systemd-notify comes with systemd, which CI does not
    // install (a host without it uses the python3 helper, tested here too).
    if (!installed(tool) && !tool.equals("systemd-notify") && System.getenv("CI") != null) {
      throw new AssertionError(tool + " is not installed; CI is set, so this test fails");
    }
    assumeThat(installed(tool)).as("%s installed", tool).isTrue();
    ScriptHome h = home(routes(echo().port(), "/extra", false));
    Run run = new Run(h, tool);

    Message ready = run.await("READY=1", Duration.ofSeconds(90));
    assertThat(ready.readyz()).as("/readyz when READY=1 arrived: %s", run.context()).isEqualTo(200);
    assertThat(h.read("run/supervisor.state")).isEqualTo("running\n");
    List<Message> before = run.messages().stream().filter(m -> m.at() < ready.at()).toList();
    assertThat(before)
        .as("STATUS= lines before READY=1, the last one waiting for Envoy")
        .anyMatch(m -> m.status().startsWith("STATUS=starting: waiting for the Gangway JVM"))
        .anyMatch(m -> m.status().startsWith("STATUS=starting: waiting for Envoy"))
        .noneMatch(m -> m.has("READY=1"));
    assertThat(ready.status()).contains("Envoy ACKed the config");
    assertThat(RawHttp.get(httpPort(h), "a.test", "/").status()).isEqualTo(200);

    long t0 = System.nanoTime();
    assertThat(run.stop(Duration.ofSeconds(40))).as(run.context()).isZero();
    long stopMs = (System.nanoTime() - t0) / 1_000_000;
    Message stopping = run.await("STOPPING=1", Duration.ofSeconds(5));
    assertThat(stopping.at()).isGreaterThan(ready.at());
    assertThat(stopping.status()).startsWith("STATUS=stopping: draining Envoy");
    assertThat(run.messages().stream().filter(m -> m.has("READY=1"))).hasSize(1);
    assertThat(run.context()).doesNotContain("could not send to NOTIFY_SOCKET");
    System.out.printf("[notify] %s: SIGTERM -> supervisor exited 0 in %d ms%n", tool, stopMs);
  }

  @Test
  void aConfigEnvoyRejectsAtStart_holdsReadyBack_untilAGoodEditIsAcked() throws Exception {
    int port = echo().port();
    ScriptHome h = home(routes(port, tooBigRegex(), true));
    Run run = new Run(h, "python3");

    GatewayHarness.await(
        "the supervisor runs (" + run.context() + ")",
        Duration.ofSeconds(90),
        () -> h.read("run/supervisor.state").equals("running\n"));
    Message waiting =
        run.await(
            "a STATUS= naming the NACK",
            m ->
                m.status()
                        .startsWith(
                            "STATUS=running, not ready yet (READY=1 waits for /readyz): Envoy ")
                    && m.status().contains(" rejected routes (NACK): regex '/(seg0[a-z]+|"),
            Duration.ofSeconds(15));
    Thread.sleep(3_000); // the supervisor asks /readyz every 250 ms: READY=1 must not come
    assertThat(run.messages()).as(run.context()).noneMatch(m -> m.has("READY=1"));
    assertThat(h.read("logs/supervisor.log")).contains("READY=1 for systemd waits for");

    Files.writeString(h.home.resolve("conf/routes/routes.yaml"), routes(port, "/fixed", false));
    Message ready = run.await("READY=1", Duration.ofSeconds(30));
    assertThat(ready.at()).isGreaterThan(waiting.at());
    assertThat(ready.readyz()).as(run.context()).isEqualTo(200);
    assertThat(RawHttp.get(httpPort(h), "extra.test", "/fixed").status()).isEqualTo(200);
    assertThat(run.stop(Duration.ofSeconds(40))).isZero();
  }

  /**
   * The graceful stop waits for active requests, but no longer than the drain time
   * (envoy.drainSeconds): a request that outlasts it does not hold the stop up.
   */
  @Test
  void stop_withARequestInFlight_drainsForTheDrainTimeAndNoLonger() throws Exception {
    ScriptHome h = home(routes(echo().port(), "/extra", false));
    Path conf = h.home.resolve("conf/gangway.yaml");
    Files.writeString(conf, Files.readString(conf).replace("drainSeconds: 1", "drainSeconds: 3"));
    Run run = new Run(h, "python3");
    run.await("READY=1", Duration.ofSeconds(90));

    try (Socket s = new Socket("127.0.0.1", httpPort(h))) {
      OutputStream out = s.getOutputStream();
      out.write(
          "GET /delay/60000 HTTP/1.1\r\nHost: a.test\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Thread.sleep(500); // the request reaches the backend
      long t0 = System.nanoTime();
      int status = run.stop(Duration.ofSeconds(40));
      double seconds = (System.nanoTime() - t0) / 1e9;
      assertThat(status).as(run.context()).isZero();
      System.out.printf(
          "[drain] drainSeconds 3, one request in flight: stopped in %.2f s%n", seconds);
      assertThat(seconds).as("the drain waited for the request").isGreaterThanOrEqualTo(2.9);
      assertThat(seconds).as("and no longer than the drain time, plus the stops").isLessThan(13);
      assertThat(h.read("logs/supervisor.log"))
          .containsPattern("drain finished after 3\\.\\d s \\(active downstream connections: 1\\)");
      String answer;
      try {
        InputStream in = s.getInputStream();
        s.setSoTimeout(2_000);
        answer = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
      } catch (IOException e) {
        answer = e.toString(); // reset by the stopped Envoy
      }
      assertThat(answer)
          .as("the request did not complete: it outlasted the drain")
          .doesNotContain("HTTP/1.1 200");
    }
  }
}
