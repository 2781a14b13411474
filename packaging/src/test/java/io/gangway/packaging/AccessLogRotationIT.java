package io.gangway.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gangway.echo.EchoServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The shipped access log and log rotation, on the tar.gz as installed: every request is one JSON
 * line with the documented fields; the real {@code logrotate} with the shipped {@code
 * packaging/logrotate/gangway} renames the log and its {@code postrotate} makes Envoy reopen it, so
 * later requests land in the new file and none is lost; the JVM logs nothing per request.
 */
class AccessLogRotationIT {

  /** The fields documented in docs/operations.md, in order. */
  private static final List<String> FIELDS =
      List.of(
          "time",
          "host",
          "method",
          "path",
          "protocol",
          "status",
          "response_flags",
          "duration_ms",
          "upstream_cluster",
          "upstream_host",
          "route_name",
          "request_id",
          "bytes_received",
          "bytes_sent",
          "user_agent",
          "downstream_address");

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private EchoServer backend;
  private Installation install;

  @AfterEach
  void stop() throws Exception {
    if (install != null) {
      install.close();
    }
    if (backend != null) {
      backend.close();
    }
  }

  private int get(String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + install.httpPort + path))
                .header("User-Agent", "rotation-test")
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static List<JsonNode> lines(Path file) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    if (Files.exists(file)) {
      for (String line : Files.readAllLines(file)) {
        out.add(JSON.readTree(line)); // every line is one JSON object, or this throws
      }
    }
    return out;
  }

  private static long countPaths(List<JsonNode> lines, String prefix) {
    return lines.stream().filter(l -> l.path("path").asText().startsWith(prefix)).count();
  }

  private static void await(String what, Duration timeout, Check check) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!check.ok()) {
      assertThat(System.nanoTime()).as("timed out waiting until %s", what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  @Test
  void jsonAccessLog_hasTheDocumentedFields_andLogrotateLosesNoLine() throws Exception {
    boolean haveLogrotate =
        Files.isExecutable(Path.of("/usr/sbin/logrotate"))
            || Files.isExecutable(Path.of("/usr/bin/logrotate"));
    if (!haveLogrotate && System.getenv("CI") != null) {
      throw new AssertionError("logrotate is not installed; CI is set, so this test fails");
    }
    Assumptions.assumeTrue(haveLogrotate, "logrotate is not installed (CI installs it)");

    backend = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "echo-1");
    install = Installation.unpack();
    Path routes = install.home.resolve("conf/routes/example.yaml");
    Files.writeString(
        routes,
        Files.readString(routes)
            .replace("127.0.0.1:8001,127.0.0.1:8002", "127.0.0.1:" + backend.port()));
    install.run(Duration.ofMinutes(3), "bin/startup.sh");
    await("a 200 through Envoy", Duration.ofSeconds(30), () -> get("/warm-up") == 200);

    for (int i = 0; i < 5; i++) {
      assertThat(get("/before-" + i + "?q=1")).isEqualTo(200);
    }
    Path log = install.home.resolve("logs/access.log");
    await(
        "Envoy flushed the 5 lines",
        Duration.ofSeconds(10),
        () -> countPaths(lines(log), "/before-") == 5);

    JsonNode line =
        lines(log).stream()
            .filter(l -> l.path("path").asText().startsWith("/before-0"))
            .findFirst()
            .orElseThrow();
    System.out.println("[access-log] " + line);
    List<String> names = new ArrayList<>();
    line.fieldNames().forEachRemaining(names::add);
    assertThat(names).containsExactlyInAnyOrderElementsOf(FIELDS);
    assertThat(line.path("method").asText()).isEqualTo("GET");
    assertThat(line.path("path").asText()).isEqualTo("/before-0?q=1");
    assertThat(line.path("host").asText())
        .as("the Host header the client sent")
        .startsWith("127.0.0.1");
    assertThat(line.path("protocol").asText()).isEqualTo("HTTP/1.1");
    assertThat(line.path("status").isNumber()).as("status is a number").isTrue();
    assertThat(line.path("status").asInt()).isEqualTo(200);
    assertThat(line.path("duration_ms").isNumber()).isTrue();
    assertThat(line.path("bytes_sent").asLong()).isPositive();
    assertThat(line.path("upstream_cluster").asText()).isEqualTo("outbound|80||echo.static");
    assertThat(line.path("upstream_host").asText()).isEqualTo("127.0.0.1:" + backend.port());
    assertThat(line.path("route_name").asText()).startsWith("default/demo/");
    assertThat(line.path("request_id").asText()).matches("[0-9a-f-]{36}");
    assertThat(line.path("user_agent").asText()).isEqualTo("rotation-test");
    assertThat(java.time.Instant.parse(line.path("time").asText())).isNotNull();

    // A request without User-Agent: a field with no value is JSON null, not "-" or "".
    try (java.net.Socket raw = new java.net.Socket("127.0.0.1", install.httpPort)) {
      raw.getOutputStream()
          .write(
              "GET /before-no-ua HTTP/1.1\r\nHost: raw.test\r\nConnection: close\r\n\r\n"
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      assertThat(new String(raw.getInputStream().readAllBytes(), "US-ASCII"))
          .startsWith("HTTP/1.1 200");
    }
    await(
        "the line of the request without User-Agent",
        Duration.ofSeconds(10),
        () -> countPaths(lines(log), "/before-no-ua") == 1);
    JsonNode noUa =
        lines(log).stream()
            .filter(l -> l.path("path").asText().equals("/before-no-ua"))
            .findFirst()
            .orElseThrow();
    System.out.println("[access-log] " + noUa);
    assertThat(noUa.get("user_agent").isNull()).as(noUa.toString()).isTrue();

    // The shipped logrotate file, with this install's home and user, run by the real logrotate.
    String user = System.getProperty("user.name");
    String group =
        Files.readAttributes(install.home, java.nio.file.attribute.PosixFileAttributes.class)
            .group()
            .getName();
    Path conf = install.home.resolve("logrotate.conf");
    Files.writeString(
        conf,
        Files.readString(install.home.resolve("packaging/logrotate/gangway"))
            .replace("/opt/gangway", install.home.toString())
            .replace("su gangway gangway", "su " + user + " " + group));
    Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));
    String out =
        Installation.run(
            install.home,
            Duration.ofSeconds(30),
            "logrotate",
            "-f",
            "-s",
            install.home.resolve("logrotate.state").toString(),
            conf.toString());
    System.out.println("[logrotate] ran: " + out.length() + " bytes of output");
    Path rotated = install.home.resolve("logs/access.log.1");
    assertThat(rotated).as("logrotate renamed the access log").exists();

    for (int i = 0; i < 5; i++) {
      assertThat(get("/after-" + i)).isEqualTo(200);
    }
    await(
        "the 5 later lines are in the new access.log",
        Duration.ofSeconds(10),
        () -> countPaths(lines(log), "/after-") == 5);
    assertThat(countPaths(lines(rotated), "/before-")).isEqualTo(6);
    assertThat(countPaths(lines(rotated), "/after-"))
        .as("Envoy reopened the file: nothing written into the rotated one")
        .isZero();
    assertThat(countPaths(lines(log), "/before-")).isZero();

    String jvmLog = Files.readString(install.home.resolve("logs/gangway.log"));
    assertThat(jvmLog).as("the JVM logs nothing per request").doesNotContain("/before-0");
  }
}
