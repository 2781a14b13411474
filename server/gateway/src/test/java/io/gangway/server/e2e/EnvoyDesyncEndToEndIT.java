package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.echo.EchoServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 item 14: an {@code xds.port} change followed by a JVM-only restart leaves the running
 * Envoy dialling the old port. Before, {@code /status} said ready and nothing was logged while
 * edits never reached Envoy; now the JVM logs one error naming the mismatch and {@code /status}
 * says no Envoy is connected.
 */
class EnvoyDesyncEndToEndIT {

  private static String routes(int port) {
    return RouteYaml.forHost(
        RouteYaml.staticRegistry("a", "127.0.0.1:" + port),
        "{name: web, namespace: default}",
        "a.test",
        "a.static");
  }

  @Test
  void xdsPortChange_withAJvmOnlyRestart_isReported_notSilentlyReady() throws Exception {
    try (EchoServer a = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "a");
        GatewayHarness gw = new GatewayHarness(routes(a.port()))) {
      gw.startJvm();
      gw.startEnvoy();
      GatewayHarness.await(
          "Envoy is connected",
          Duration.ofSeconds(15),
          () -> gw.gangwayAdmin("/status").replace(" ", "").contains("\"envoyConnected\":true"));
      // What the supervisor records for a running Envoy.
      Files.writeString(gw.home.resolve("run/envoy.pid"), gw.envoyPid() + "\n");

      gw.killJvm();
      Path conf = gw.home.resolve("conf/gangway.yaml");
      int newPort = GatewayHarness.freePort();
      Files.writeString(
          conf,
          Files.readString(conf).replace("port: " + gw.xdsPort + "}", "port: " + newPort + "}"));
      gw.startJvm();

      assertThat(gw.logs()).contains("receives no edits");
      GatewayHarness.await(
          "/status says no Envoy is connected",
          Duration.ofSeconds(20),
          () -> gw.gangwayAdmin("/status").contains("no Envoy connected"));
      String status = gw.gangwayAdmin("/status").replace(" ", "");
      assertThat(status).contains("\"ready\":false").contains("\"envoyConnected\":false");
      assertThat(gw.envoyAlive()).as("Envoy keeps serving its last config").isTrue();
      assertThat(RawHttp.get(gw.httpPort, "a.test", "/").status()).isEqualTo(200);
    }
  }
}
