package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.echo.EchoServer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A route document that passes Gangway's checks but that Envoy rejects: a {@code use-regex} path
 * whose RE2 program is larger than Envoy's limit (100). Envoy NACKs the route table; the routes it
 * accepted before stay in force, the JVM says so once, {@code /readyz} and {@code /status} show it,
 * the NACK is counted, and the next good edit, or reverting the bad one, clears it.
 */
class NackEndToEndIT {

  private EchoServer echo;
  private GatewayHarness gw;

  @AfterEach
  void stop() {
    if (gw != null) {
      gw.close();
    }
    if (echo != null) {
      echo.close();
    }
  }

  private String routes(String extraHost, String extraPath, boolean regex) {
    String b = "backend: {service: {name: a.static, port: {number: 80}}}";
    return """
        apiVersion: networking.higress.io/v1
        kind: McpBridge
        metadata: {name: default, namespace: higress-system}
        spec:
          registries:
            - {type: static, name: a, domain: "127.0.0.1:%d", port: 80}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: good}
        spec:
          rules:
            - host: good.test
              http:
                paths:
                  - {path: /, pathType: Prefix, B}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: extra
          annotations:
            nginx.ingress.kubernetes.io/use-regex: "%s"
        spec:
          rules:
            - host: %s
              http:
                paths:
                  - {path: "%s", pathType: ImplementationSpecific, B}
        """
        .formatted(echo.port(), regex, extraHost, extraPath)
        .replace("B}", b + "}");
  }

  private int status(String host, String path) {
    try {
      return RawHttp.get(gw.httpPort, host, path).status();
    } catch (java.io.IOException e) {
      return -1;
    }
  }

  /** Sums Envoy's {@code http.*.rds.*.update_rejected} counters. */
  private long rdsRejected() {
    long sum = 0;
    for (String line : gw.envoyAdmin("/stats?filter=rds%5C..*update_rejected").split("\n")) {
      int colon = line.lastIndexOf(": ");
      if (colon > 0 && line.endsWith(line.substring(colon)) && line.contains("update_rejected")) {
        sum += Long.parseLong(line.substring(colon + 2).trim());
      }
    }
    return sum;
  }

  private String jvmLog() throws Exception {
    StringBuilder sb = new StringBuilder();
    for (String f : new String[] {"gangway.out", "gangway.log"}) {
      var p = gw.home.resolve("logs").resolve(f);
      if (Files.exists(p)) {
        sb.append(Files.readString(p));
      }
    }
    return sb.toString();
  }

  @Test
  void aPushEnvoyRejects_keepsThePreviousConfig_isShownAndCountedOnce_andTheNextGoodEditClearsIt()
      throws Exception {
    echo = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "a");
    gw = new GatewayHarness(routes("first.test", "/first", false));
    gw.startJvm();
    gw.startEnvoy();
    GatewayHarness.await(
        "the first routes are served",
        Duration.ofSeconds(15),
        () -> status("good.test", "/") == 200);
    GatewayHarness.await(
        "readyz says ready once Envoy ACKed",
        Duration.ofSeconds(10),
        () -> gw.gangwayAdmin("/readyz").contains("\"ready\" : true"));
    // The gateway process mounts the inspection resources and the metrics on its admin API.
    assertThat(gw.gangwayAdmin("/routes")).contains("good.test").contains("first.test");
    assertThat(gw.gangwayAdmin("/clusters")).contains("a.static");
    assertThat(gw.gangwayAdmin("/metrics"))
        .contains("gangway_xds_envoys_connected 1.0")
        .contains("gangway_xds_envoys_out_of_sync 0.0")
        .contains("gangway_service_endpoints{registry=");
    long rejectedBefore = rdsRejected();

    String tooBig =
        "/("
            + IntStream.range(0, 40)
                .mapToObj(i -> "seg" + i + "[a-z]+")
                .collect(Collectors.joining("|"))
            + ")/x";
    gw.writeRoutes(routes("bad.test", tooBig, true));
    GatewayHarness.await(
        "readyz reports the NACK",
        Duration.ofSeconds(15),
        () -> gw.gangwayAdmin("/readyz").contains("rejected routes (NACK)"));
    String readyz = gw.gangwayAdmin("/readyz");
    assertThat(readyz).contains("\"ready\" : false").contains("max program size");
    assertThat(gw.gangwayAdmin("/healthz")).as("alive, though not ready").isEqualTo("ok\n");
    assertThat(gw.gangwayAdmin("/status")).contains("\"nack\" : {").contains("max program size");
    assertThat(status("good.test", "/")).as("the accepted routes stay in force").isEqualTo(200);
    assertThat(status("first.test", "/first"))
        .as("Envoy still runs the route table it accepted, with the old extra route")
        .isEqualTo(200);
    assertThat(rdsRejected()).isGreaterThan(rejectedBefore);
    GatewayHarness.await(
        "the NACK is counted",
        Duration.ofSeconds(5),
        () ->
            gw.gangwayAdmin("/metrics")
                .matches("(?s).*gangway_xds_nacks_total\\{type=\"routes\"} [1-9].*"));
    Thread.sleep(1_000); // Envoy may repeat the NACK; the log must not
    assertThat(jvmLog().split("Envoy rejected routes \\(NACK\\)", -1).length - 1)
        .as("logged once")
        .isEqualTo(1);

    // Reverting the bad edit sends Envoy nothing (it runs that already): still ready again.
    gw.writeRoutes(routes("first.test", "/first", false));
    GatewayHarness.await(
        "readyz is ready again after the revert",
        Duration.ofSeconds(10),
        () -> gw.gangwayAdmin("/readyz").contains("\"ready\" : true"));
    assertThat(gw.gangwayAdmin("/status")).doesNotContain("\"nack\" : {");
    assertThat(jvmLog()).contains("the routes change Envoy rejected was withdrawn");

    gw.writeRoutes(routes("bad.test", tooBig, true));
    GatewayHarness.await(
        "readyz reports the NACK of the same bad edit again",
        Duration.ofSeconds(15),
        () -> gw.gangwayAdmin("/readyz").contains("rejected routes (NACK)"));
    assertThat(status("first.test", "/first"))
        .as("Envoy still runs what it accepted")
        .isEqualTo(200);
    gw.writeRoutes(routes("fixed.test", "/fixed", false));
    GatewayHarness.await(
        "the fixed document is served",
        Duration.ofSeconds(15),
        () -> status("fixed.test", "/fixed") == 200);
    GatewayHarness.await(
        "readyz is ready again",
        Duration.ofSeconds(10),
        () -> gw.gangwayAdmin("/readyz").contains("\"ready\" : true"));
    assertThat(jvmLog()).contains("Envoy accepted routes again");
  }
}
