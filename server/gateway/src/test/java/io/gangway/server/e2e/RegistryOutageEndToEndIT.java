package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.echo.EchoServer;
import io.gangway.testing.nacos.NacosDouble;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Registry outages across a JVM restart, through the real JVM and a real Envoy (issue 8, items 1
 * and 12): with the registry down, a restarted JVM serves the endpoints the previous run persisted
 * instead of empty clusters, says so in {@code /status}, and replaces them with the registry's
 * listing once it is back; and {@code /status} follows a registry's state live, without any route
 * edit. Each restart test prints the requests that failed of those sent.
 */
class RegistryOutageEndToEndIT {

  private static final String HOST = "registry.test";

  private EchoServer a;
  private EchoServer b;
  private GatewayHarness gw;

  @BeforeEach
  void backends() throws Exception {
    a = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "a");
    b = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "b");
  }

  @AfterEach
  void stop() throws Exception {
    if (gw != null) {
      gw.close();
    }
    a.close();
    b.close();
  }

  @Test
  void nacos2_jvmRestartWhileNacosIsDown_servesPersistedEndpoints_untilNacosListsAgain()
      throws Exception {
    try (NacosDouble nacos = NacosDouble.start()) {
      nacos.registerInstance(
          "public", "DEFAULT_GROUP", "echo", "127.0.0.1", a.port(), 1.0, true, Map.of());
      start(
          """
          - {type: nacos2, name: nacos, domain: "127.0.0.1", port: %d, nacosGroups: [DEFAULT_GROUP],
             nacosRefreshInterval: 1000000000}
          """
              .formatted(nacos.port()),
          "echo.DEFAULT-GROUP.public.nacos");
      awaitOnly("a");
      nacos.stop();
      restartJvmUnderLoad("nacos2");
      assertThat(registryStatus("nacos2/nacos"))
          .contains("stale: serving 1 persisted endpoints since")
          .contains("\"endpointsFrom\" : \"persisted\"");
      // The registry comes back with other instances: its real listing replaces the persisted one.
      nacos.deregisterInstance("public", "DEFAULT_GROUP", "echo", "127.0.0.1", a.port());
      nacos.registerInstance(
          "public", "DEFAULT_GROUP", "echo", "127.0.0.1", b.port(), 1.0, true, Map.of());
      nacos.restart();
      awaitOnly("b");
      GatewayHarness.await(
          "/status says ready, from the registry",
          Duration.ofSeconds(10),
          () ->
              registryStatus("nacos2/nacos").contains("\"state\" : \"ready\"")
                  && registryStatus("nacos2/nacos").contains("\"endpointsFrom\" : \"registry\""));
    }
  }

  @Test
  void zookeeper_jvmRestartWhileZooKeeperIsDown_servesPersistedEndpoints_untilItListsAgain()
      throws Exception {
    try (TestingServer zk = new TestingServer(true)) {
      try (CuratorFramework c =
          CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
        c.start();
        c.create().creatingParentsIfNeeded().forPath("/services/echo/a", instance("a", a.port()));
      }
      start(
          """
          - {type: zookeeper, name: zk, domain: "127.0.0.1", port: %d}
          """
              .formatted(zk.getPort()),
          "echo.services.zookeeper");
      awaitOnly("a");
      zk.stop();
      restartJvmUnderLoad("zookeeper");
      assertThat(registryStatus("zookeeper/zk"))
          .contains("stale: serving 1 persisted endpoints since");
      zk.restart();
      try (CuratorFramework c =
          CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
        c.start();
        c.create().forPath("/services/echo/b", instance("b", b.port()));
        c.delete().forPath("/services/echo/a");
      }
      awaitOnly("b");
      GatewayHarness.await(
          "/status says ready, from the registry",
          Duration.ofSeconds(10),
          () -> registryStatus("zookeeper/zk").contains("\"endpointsFrom\" : \"registry\""));
    }
  }

  @Test
  void nacos2_statusFollowsAnOutageLive_withoutAnyRouteEdit() throws Exception {
    try (NacosDouble nacos = NacosDouble.start()) {
      nacos.registerInstance(
          "public", "DEFAULT_GROUP", "echo", "127.0.0.1", a.port(), 1.0, true, Map.of());
      start(
          """
          - {type: nacos2, name: nacos, domain: "127.0.0.1", port: %d, nacosGroups: [DEFAULT_GROUP],
             nacosRefreshInterval: 1000000000}
          """
              .formatted(nacos.port()),
          "echo.DEFAULT-GROUP.public.nacos");
      awaitOnly("a");
      assertThat(registryStatus("nacos2/nacos")).contains("\"ready\"");
      nacos.stop();
      GatewayHarness.await(
          "/status shows the outage",
          Duration.ofSeconds(15),
          () -> registryStatus("nacos2/nacos").contains("\"state\" : \"failing: "));
      String failing = registryStatus("nacos2/nacos");
      assertThat(failing)
          .contains("\"lastError\" : \"nacos 127.0.0.1:" + nacos.port())
          .contains("\"since\" : \"20")
          .contains("\"lastErrorAt\" : \"20")
          .contains("\"endpoints\" : 1");
      nacos.restart();
      GatewayHarness.await(
          "/status shows the recovery",
          Duration.ofSeconds(15),
          () -> registryStatus("nacos2/nacos").contains("\"state\" : \"ready\""));
      // The last error stays visible after the recovery, with its time.
      assertThat(registryStatus("nacos2/nacos"))
          .contains("\"lastError\" : \"nacos 127.0.0.1:" + nacos.port());
    }
  }

  /**
   * Kills the JVM and starts it again with the registry down, under a request loop that runs until
   * Envoy has been reconnected for five seconds; asserts and prints the failed requests.
   */
  private void restartJvmUnderLoad(String registry) throws Exception {
    try (RequestLoop loop = new RequestLoop(gw.httpPort, HOST)) {
      gw.killJvm();
      gw.startJvm();
      GatewayHarness.await(
          "Envoy reconnects to the restarted JVM",
          Duration.ofSeconds(40),
          () ->
              gw.envoyStat("control_plane.connected_state") == 1
                  && gw.gangwayAdmin("/status").contains("\"streams\" : 1"));
      int reconnected = loop.total();
      GatewayHarness.await(
          "5 s of requests after the reconnect",
          Duration.ofSeconds(30),
          () -> loop.total() > reconnected + 200);
      Thread.sleep(5_000);
      loop.close();
      System.out.printf("JVM restart with %s down: %s%n", registry, loop.summary());
      assertThat(loop.failed.get()).as(loop.summary()).isZero();
    }
  }

  private String registryStatus(String key) {
    String status = gw.gangwayAdmin("/status");
    int at = status.indexOf("\"" + key + "\" : "); // an object now; a plain string before issue 8
    return at < 0 ? "" : status.substring(at, status.indexOf('}', at) + 1);
  }

  private void start(String registry, String backend) throws Exception {
    gw = new GatewayHarness(RouteYaml.anyHost(registry, backend));
    gw.startJvm();
    gw.startEnvoy();
  }

  static byte[] instance(String id, int port) {
    return ("{\"name\":\"echo\",\"id\":\""
            + id
            + "\",\"address\":\"127.0.0.1\",\"port\":"
            + port
            + ",\"sslPort\":null,\"payload\":{\"@class\":\"org.springframework.cloud.zookeeper.discovery.ZookeeperInstance\","
            + "\"id\":\"echo\",\"name\":\"echo\",\"metadata\":{}},\"registrationTimeUTC\":0,\"serviceType\":\"DYNAMIC\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private String backend() {
    try {
      RawHttp.Response r = RawHttp.get(gw.httpPort, HOST, "/");
      return r.status() == 200 ? r.backend() : "status " + r.status();
    } catch (Exception e) {
      return e.toString();
    }
  }

  /** Waits until 20 requests in a row all reach {@code name}. */
  private void awaitOnly(String name) throws InterruptedException {
    GatewayHarness.await(
        "only " + name + " receives traffic",
        Duration.ofSeconds(20),
        () -> {
          for (int i = 0; i < 20; i++) {
            if (!backend().equals(name)) {
              return false;
            }
          }
          return true;
        });
  }
}
