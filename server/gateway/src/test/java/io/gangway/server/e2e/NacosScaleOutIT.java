package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.echo.EchoServer;
import io.gangway.testing.nacos.NacosDouble;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Scale-out: two Gangway instances (each its own JVM and Envoy, on one machine) pointed at one
 * Nacos converge on the same config: after a publish both serve it, both report the same live
 * dataId md5, and both report the same clusters version (content hashes, so equal config means
 * equal version across processes).
 */
class NacosScaleOutIT {

  @Test
  void twoInstances_convergeOnTheSameConfigVersion() throws Exception {
    try (EchoServer a = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "a");
        EchoServer b = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "b");
        NacosDouble nacos = NacosDouble.start()) {
      nacos.publishConfig(
          "public", "DEFAULT_GROUP", "routes.yaml", routes(a.port(), b.port(), "a.static"));
      try (GatewayHarness one = instance(nacos);
          GatewayHarness two = instance(nacos)) {
        for (GatewayHarness gw : new GatewayHarness[] {one, two}) {
          GatewayHarness.await(
              "instance serves", Duration.ofSeconds(10), () -> backend(gw).equals("a"));
        }
        nacos.publishConfig(
            "public", "DEFAULT_GROUP", "routes.yaml", routes(a.port(), b.port(), "b.static"));
        for (GatewayHarness gw : new GatewayHarness[] {one, two}) {
          GatewayHarness.await(
              "instance applies the publish", Duration.ofSeconds(5), () -> backend(gw).equals("b"));
        }
        // Listener ports differ per instance on one host (and are part of the route table's name),
        // so
        // compare what is port-independent: the live Nacos version and the translated clusters.
        String md5 = nacos.configMd5("public", "DEFAULT_GROUP", "routes.yaml");
        for (GatewayHarness gw : new GatewayHarness[] {one, two}) {
          GatewayHarness.await(
              "instance reports the live md5",
              Duration.ofSeconds(5),
              () -> gw.gangwayAdmin("/status").contains("\"liveVersion\" : \"" + md5 + "\""));
        }
        String c1 = version(one, "clusters");
        System.out.println(
            "scale-out: both instances serve dataId md5 " + md5 + ", clusters version " + c1);
        assertThat(c1).isNotEmpty().isEqualTo(version(two, "clusters"));
      }
    }
  }

  private static GatewayHarness instance(NacosDouble nacos) throws Exception {
    GatewayHarness gw = new GatewayHarness("# from Nacos\n");
    gw.addRoutesConfig(
        """
          source: nacos
          nacos: {serverAddr: "%s", dataIds: [routes.yaml]}
        """
            .formatted(nacos.serverAddr()));
    gw.startJvm();
    gw.startEnvoy();
    return gw;
  }

  private static String version(GatewayHarness gw, String type) {
    Matcher m =
        Pattern.compile("\"" + type + "\" : \"([0-9a-f]+)\"").matcher(gw.gangwayAdmin("/status"));
    return m.find() ? m.group(1) : "";
  }

  private static String backend(GatewayHarness gw) {
    try {
      RawHttp.Response r = RawHttp.get(gw.httpPort, "shop.test", "/");
      return r.status() == 200 ? r.backend() : "status " + r.status();
    } catch (Exception e) {
      return e.toString();
    }
  }

  static String routes(int portA, int portB, String target) {
    return """
        apiVersion: networking.higress.io/v1
        kind: McpBridge
        metadata: {name: default}
        spec:
          registries:
            - {type: static, name: a, domain: "127.0.0.1:%d", port: 80}
            - {type: static, name: b, domain: "127.0.0.1:%d", port: 80}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web}
        spec:
          rules:
            - host: shop.test
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: %s, port: {number: 80}}}}
        """
        .formatted(portA, portB, target);
  }
}
