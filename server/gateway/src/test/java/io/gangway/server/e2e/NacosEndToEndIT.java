package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.echo.EchoServer;
import io.gangway.testing.nacos.NacosDouble;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Nacos as the config center, end to end: the real JVM reads its routes from the Nacos double
 * through the real nacos-client, and a real Envoy serves them. A publish goes live; a bad publish
 * keeps the old config; a Nacos outage does not touch traffic; a restart with Nacos down serves the
 * persisted config and reconciles when Nacos returns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NacosEndToEndIT {

  private static final String NS = "public";
  private static final String GROUP = "DEFAULT_GROUP";
  private static final String DATA_ID = "gangway-routes.yaml";

  private EchoServer a;
  private EchoServer b;
  private NacosDouble nacos;
  private GatewayHarness gw;

  private String routes(String target) {
    return NacosScaleOutIT.routes(a.port(), b.port(), target);
  }

  @BeforeAll
  void start() throws Exception {
    a = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "a");
    b = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "b");
    nacos = NacosDouble.start();
    nacos.publishConfig(NS, GROUP, DATA_ID, routes("a.static"));
    gw = new GatewayHarness("# routes come from Nacos in this test\n");
    gw.addRoutesConfig(
        """
          source: nacos
          initialLoadTimeout: 3s
          nacos:
            serverAddr: "%s"
            dataIds: [%s]
            timeout: 1s
            resync: 2s
        """
            .formatted(nacos.serverAddr(), DATA_ID));
    gw.startJvm();
    gw.startEnvoy();
    GatewayHarness.await(
        "the Nacos routes answer", Duration.ofSeconds(10), () -> backend().equals("a"));
  }

  @AfterAll
  void stop() throws Exception {
    gw.close();
    nacos.close();
    a.close();
    b.close();
  }

  @Test
  @Order(1)
  void publish_isLiveWithinOneSecond_andStatusNamesTheDataIdVersion() throws Exception {
    long t0 = System.nanoTime();
    nacos.publishConfig(NS, GROUP, DATA_ID, routes("b.static"));
    GatewayHarness.await("the publish is live", Duration.ofSeconds(5), () -> backend().equals("b"));
    long millis = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("nacos publish -> Envoy serving: " + millis + " ms");
    assertThat(millis).isLessThan(1000);
    String status = gw.gangwayAdmin("/status");
    assertThat(status)
        .contains("nacos:public/DEFAULT_GROUP/" + DATA_ID)
        .contains(nacos.configMd5(NS, GROUP, DATA_ID))
        .contains("\"state\" : \"connected\"");
  }

  @Test
  @Order(2)
  void badPublish_keepsTheOldConfig_andNamesDataIdAndLine() throws Exception {
    nacos.publishConfig(
        NS, GROUP, DATA_ID, routes("a.static").replace("pathType: Prefix", "pathType: Sometimes"));
    GatewayHarness.await(
        "status reports the error",
        Duration.ofSeconds(5),
        () -> gw.gangwayAdmin("/status").contains("nacos:public/DEFAULT_GROUP/" + DATA_ID + ":"));
    assertThat(gw.gangwayAdmin("/status"))
        .contains("invalid pathType 'Sometimes'")
        .contains("\"state\" : \"rejected\"");
    assertThat(backend()).as("the last good config stays live").isEqualTo("b");
  }

  @Test
  @Order(3)
  void nacosOutage_doesNotTouchTraffic() throws Exception {
    nacos.publishConfig(NS, GROUP, DATA_ID, routes("b.static"));
    AtomicInteger ok = new AtomicInteger();
    AtomicReference<String> failure = new AtomicReference<>();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread loop =
        new Thread(
            () -> {
              while (running.get()) {
                String got = backend();
                if (got.equals("b")) {
                  ok.incrementAndGet();
                } else {
                  failure.compareAndSet(null, got);
                }
              }
            });
    loop.start();
    try {
      nacos.stop();
      GatewayHarness.await(
          "the outage shows in status",
          Duration.ofSeconds(10),
          () -> gw.gangwayAdmin("/status").contains("unreachable"));
      int at = ok.get();
      GatewayHarness.await(
          "traffic continues during the outage", Duration.ofSeconds(5), () -> ok.get() > at + 100);
    } finally {
      running.set(false);
      loop.join(5000);
    }
    assertThat(failure.get()).as("requests during the Nacos outage").isNull();
  }

  @Test
  @Order(4)
  void restartWithNacosDown_servesThePersistedConfig_thenReconciles() throws Exception {
    gw.killJvm();
    gw.startJvm(); // Nacos is still down: the JVM must start from data/last-good-routes.json
    assertThat(Files.readString(gw.home.resolve("logs/gangway.log")))
        .contains("starting from the last good routes");
    GatewayHarness.await(
        "Envoy reconnects",
        Duration.ofSeconds(30),
        () -> gw.envoyStat("control_plane.connected_state") == 1);
    assertThat(backend()).isEqualTo("b");
    nacos.restart();
    nacos.publishConfig(NS, GROUP, DATA_ID, routes("a.static"));
    GatewayHarness.await(
        "Nacos is applied again once it is back",
        Duration.ofSeconds(15),
        () -> backend().equals("a"));
  }

  private String backend() {
    try {
      RawHttp.Response r = RawHttp.get(gw.httpPort, "shop.test", "/");
      return r.status() == 200 ? r.backend() : "status " + r.status();
    } catch (Exception e) {
      return e.toString();
    }
  }
}
