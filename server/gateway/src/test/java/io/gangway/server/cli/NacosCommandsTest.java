package io.gangway.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.route.nacos.NacosRouteSource;
import io.gangway.testing.nacos.NacosDouble;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gangway get}, {@code diff} and {@code publish} against the Nacos double, through the real
 * command tree and nacos-client, in-process. "Someone else" (the console, a colleague) is the
 * double's own API.
 */
class NacosCommandsTest {

  private static final String GROUP = "DEFAULT_GROUP";
  private static final String V1 =
      """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: site
      spec:
        rules:
          - host: a.example.com
            http:
              paths:
                - {path: /, pathType: Prefix, backend: {service: {name: a.static, port: {number: 80}}}}
      """;
  private static final String V2 = V1.replace("a.example.com", "b.example.com");

  /** Line 6 holds the error: a backend protocol Gangway rejects. */
  private static final String INVALID =
      """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: site
        annotations:
          higress.io/backend-protocol: AJP
      spec:
        rules:
          - http:
              paths:
                - {path: /, pathType: Prefix, backend: {service: {name: a.static, port: {number: 80}}}}
      """;

  @TempDir Path dir;

  private NacosDouble nacos;
  private String dataId;
  private String closedServer;

  @BeforeAll
  static void nacosClientFiles() {
    System.setProperty("JM.LOG.PATH", "target/nacos-client/logs");
    System.setProperty("JM.SNAPSHOT.PATH", "target/nacos-client/snapshot");
  }

  @BeforeEach
  void startNacos() {
    nacos = NacosDouble.start();
    dataId = "gangway-cli-" + UUID.randomUUID().toString().substring(0, 8) + ".yaml";
  }

  @AfterEach
  void stopNacos() {
    try {
      assertThat(nacos.unhandledRequests()).isEmpty();
    } finally {
      nacos.close();
    }
  }

  @Test
  void publish_validFile_createsTheDataIdAndPrintsItsMd5() throws Exception {
    Cli.Result r = gangway("publish", file("routes.yaml", V1));

    assertThat(r.status()).as(r.toString()).isZero();
    assertThat(nacos.getConfig("public", GROUP, dataId)).isEqualTo(V1);
    assertThat(r.err()).contains("published " + where() + " md5 " + md5(V1));
    assertThat(nacos.configMd5("public", GROUP, dataId)).isEqualTo(md5(V1));
  }

  @Test
  void publish_fileWithErrors_sendsNothingAndNamesFileAndLine() throws Exception {
    nacos.publishConfig("public", GROUP, dataId, V1);
    String file = file("routes.yaml", INVALID);

    Cli.Result r = gangway("publish", file);

    assertThat(r.status()).as(r.toString()).isEqualTo(1);
    assertThat(r.err())
        .contains(file + ":6:")
        .contains("error:")
        .contains("AJP")
        .contains("gangway: error: " + file + " has errors; nothing was published");
    assertThat(nacos.getConfig("public", GROUP, dataId)).isEqualTo(V1);
    assertThat(nacos.requestCount("ConfigPublishRequest")).as("publish requests").isZero();
    assertThat(nacos.requestCount("ConfigQueryRequest"))
        .as("not even a read: validation comes first")
        .isZero();
  }

  @Test
  void publish_ifMd5FromGet_replacesTheContent() throws Exception {
    nacos.publishConfig("public", GROUP, dataId, V1);
    Cli.Result get = gangway("get");
    assertThat(get.status()).as(get.toString()).isZero();
    assertThat(get.out()).isEqualTo(V1);
    String md5 = md5From(get);
    assertThat(md5).isEqualTo(md5(V1));

    Cli.Result r = gangway("publish", file("routes.yaml", V2), "--if-md5", md5);

    assertThat(r.status()).as(r.toString()).isZero();
    assertThat(r.err()).contains("published " + where() + " md5 " + md5(V2));
    assertThat(nacos.getConfig("public", GROUP, dataId)).isEqualTo(V2);
  }

  @Test
  void publish_staleIfMd5_exits2AndKeepsTheOtherEdit() throws Exception {
    nacos.publishConfig("public", GROUP, dataId, V1);
    String md5 = md5From(gangway("get"));
    String theirs = V1 + "# their edit\n";
    nacos.publishConfig("public", GROUP, dataId, theirs); // someone published meanwhile

    Cli.Result r = gangway("publish", file("routes.yaml", V2), "--if-md5", md5);

    assertThat(r.status()).as(r.toString()).isEqualTo(2);
    assertThat(r.err())
        .contains(where() + " changed since md5 " + md5 + " (now " + md5(theirs) + ")")
        .contains("gangway get");
    assertThat(nacos.getConfig("public", GROUP, dataId)).isEqualTo(theirs);
    assertThat(nacos.requestCount("ConfigPublishRequest")).isZero();
  }

  @Test
  void publish_ifMd5Empty_publishesOnlyWhileAbsent() throws Exception {
    Cli.Result created = gangway("publish", file("routes.yaml", V1), "--if-md5", "");
    assertThat(created.status()).as(created.toString()).isZero();

    Cli.Result again = gangway("publish", file("other.yaml", V2), "--if-md5", "");

    assertThat(again.status()).as(again.toString()).isEqualTo(2);
    assertThat(again.err()).contains("changed since md5 (absent) (now " + md5(V1) + ")");
    assertThat(nacos.getConfig("public", GROUP, dataId)).isEqualTo(V1);
  }

  @Test
  void publish_identicalContent_saysUnchangedAndSendsNoPublish() throws Exception {
    nacos.publishConfig("public", GROUP, dataId, V1);

    Cli.Result r = gangway("publish", file("routes.yaml", V1));

    assertThat(r.status()).as(r.toString()).isZero();
    assertThat(r.err())
        .contains("unchanged: " + where() + " already holds this content (md5 " + md5(V1) + ")");
    assertThat(nacos.requestCount("ConfigPublishRequest")).isZero();
  }

  @Test
  void get_existingDataId_printsContentOnStdoutAndMd5OnStderr() {
    nacos.publishConfig("public", GROUP, dataId, V1);

    Cli.Result r = gangway("get");

    assertThat(r.status()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo(V1);
    assertThat(r.err()).contains("md5: " + md5(V1)).doesNotContain("apiVersion");
  }

  @Test
  void get_missingDataId_exits1() {
    Cli.Result r = gangway("get");

    assertThat(r.status()).as(r.toString()).isEqualTo(1);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).contains("gangway: error: " + where() + " does not exist");
  }

  @Test
  void get_otherNamespaceAndGroup_areHonoured() {
    nacos.publishConfig("team-a", "EDGE", dataId, V2);

    Cli.Result r = gangway("get", "--namespace", "team-a", "--group", "EDGE");

    assertThat(r.status()).as(r.toString()).isZero();
    assertThat(r.out()).isEqualTo(V2);
    assertThat(gangway("get").status()).as("not in public/DEFAULT_GROUP").isEqualTo(1);
  }

  @Test
  void diff_different_printsAUnifiedDiffAndExits1() throws Exception {
    nacos.publishConfig("public", GROUP, dataId, V1);
    String file = file("routes.yaml", V2);

    Cli.Result r = gangway("diff", file);

    assertThat(r.status()).as(r.toString()).isEqualTo(1);
    assertThat(r.out().lines())
        .startsWith("--- " + where(), "+++ " + file)
        .contains(
            "@@ -4,7 +4,7 @@",
            "-    - host: a.example.com",
            "+    - host: b.example.com",
            "   name: site",
            "       http:")
        .filteredOn(l -> l.startsWith("-") || l.startsWith("+"))
        .hasSize(4);
    assertThat(nacos.getConfig("public", GROUP, dataId)).as("diff never writes").isEqualTo(V1);
  }

  @Test
  void diff_equal_printsNothingAndExits0() throws Exception {
    nacos.publishConfig("public", GROUP, dataId, V1);

    Cli.Result r = gangway("diff", file("routes.yaml", V1));

    assertThat(r.status()).as(r.toString()).isZero();
    assertThat(r.out()).isEmpty();
  }

  @Test
  void diff_missingDataId_showsEveryLineAsAdded() throws Exception {
    Cli.Result r = gangway("diff", file("routes.yaml", V1));

    assertThat(r.status()).as(r.toString()).isEqualTo(1);
    assertThat(r.out().lines())
        .contains("+apiVersion: networking.k8s.io/v1", "+kind: Ingress")
        .noneMatch(l -> l.startsWith("-") && !l.startsWith("---"));
  }

  @Test
  void get_unreachableServer_isOneLineAndExit3() throws Exception {
    Cli.Result r = againstClosedPort("get");

    assertUnreachable(r);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void publish_unreachableServer_isOneLineAndExit3() throws Exception {
    Cli.Result r = againstClosedPort("publish", file("routes.yaml", V1));

    assertUnreachable(r);
  }

  @Test
  void diff_unreachableServer_isOneLineAndExit3_andPrintsNoDiff() throws Exception {
    Cli.Result r = againstClosedPort("diff", file("routes.yaml", V1));

    assertUnreachable(r);
    assertThat(r.out()).isEmpty();
  }

  @Test
  void get_portsThatAreNotNacos_isOneLineAndExit3_withoutNacosClientLogs() throws Exception {
    try (NotNacos notNacos = new NotNacos()) {
      Cli.Result r =
          Cli.process(
              dir,
              Map.of(),
              "get",
              "--server",
              notNacos.address(),
              "--data-id",
              dataId,
              "--timeout-ms",
              "1000");

      assertThat(r.status()).as(r.toString()).isEqualTo(3);
      assertThat(r.err().lines())
          .as(r.toString())
          .containsExactly(
              "gangway: error: cannot reach Nacos at "
                  + notNacos.address()
                  + ": no connection (nacos-client status DOWN)");
      assertThat(r.out()).isEmpty();
    }
  }

  @Test
  void publishThenGetAndDiff_doNotRelyOnV1ReadAfterWrite() throws Exception {
    // A real 3.x server's v1 read path lags its writes; the commands read over gRPC and must not
    // care.
    try (NacosDouble lagging =
        NacosDouble.builder().v1ReadAfterWriteDelay(java.time.Duration.ofSeconds(30)).start()) {
      String file = file("routes.yaml", V1);
      List<String> at = List.of("--server", lagging.serverAddr(), "--data-id", dataId);

      Cli.Result published = Cli.inProcess(concat(List.of("publish", file), at));
      Cli.Result got = Cli.inProcess(concat(List.of("get"), at));
      Cli.Result diff = Cli.inProcess(concat(List.of("diff", file), at));

      assertThat(published.status()).as(published.toString()).isZero();
      assertThat(got.status()).as(got.toString()).isZero();
      assertThat(got.out()).isEqualTo(V1);
      assertThat(diff.status()).as(diff.toString()).isZero();
    }
  }

  private static String[] concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all.toArray(String[]::new);
  }

  @Test
  void dataIdIsRequired() {
    Cli.Result r = Cli.inProcess("get", "--server", nacos.serverAddr());

    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("Missing required option: '--data-id=<dataId>'");
  }

  private Cli.Result gangway(String command, String... args) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(args));
    all.addAll(List.of("--server", nacos.serverAddr(), "--data-id", dataId));
    return Cli.inProcess(all.toArray(String[]::new));
  }

  /** Runs a command against a port nothing listens on (nor on port + 1000, the gRPC port). */
  private Cli.Result againstClosedPort(String command, String... args) throws Exception {
    closedServer = "127.0.0.1:" + closedPort();
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(List.of(args));
    all.addAll(List.of("--server", closedServer, "--data-id", dataId, "--timeout-ms", "2000"));
    return Cli.inProcess(all.toArray(String[]::new));
  }

  private void assertUnreachable(Cli.Result r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(3);
    assertThat(r.err().lines())
        .as(r.toString())
        .containsExactly(
            "gangway: error: cannot reach Nacos at " + closedServer + ": connection refused");
  }

  /**
   * Listens on a port and on port + 1000 and never answers: the kernel completes TCP handshakes
   * (the backlog), so the ports are reachable, but nothing speaks Nacos there.
   */
  private static final class NotNacos implements AutoCloseable {
    private final List<ServerSocket> sockets = new ArrayList<>();

    NotNacos() throws Exception {
      for (int i = 0; i < 50 && sockets.isEmpty(); i++) {
        ServerSocket main = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        try {
          sockets.add(
              new ServerSocket(main.getLocalPort() + 1000, 50, InetAddress.getLoopbackAddress()));
          sockets.add(0, main);
        } catch (Exception e) {
          main.close();
        }
      }
    }

    String address() {
      return "127.0.0.1:" + sockets.get(0).getLocalPort();
    }

    @Override
    public void close() throws Exception {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }

  private static int closedPort() throws Exception {
    for (int i = 0; i < 50; i++) {
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort();
      }
      if (port + 1000 <= 65535 && !listening(port + 1000)) {
        return port;
      }
    }
    throw new AssertionError("no closed port pair found");
  }

  private static boolean listening(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  private String where() {
    return "nacos:public/" + GROUP + "/" + dataId + " at " + nacos.serverAddr();
  }

  private String file(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content).toString();
  }

  private static String md5From(Cli.Result get) {
    return get.err()
        .lines()
        .filter(l -> l.startsWith("md5: "))
        .map(l -> l.substring(5))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no md5 line in\n" + get));
  }

  private static String md5(String content) {
    return NacosRouteSource.md5(content);
  }
}
