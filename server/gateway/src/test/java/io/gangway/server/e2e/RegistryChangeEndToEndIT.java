package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.echo.EchoServer;
import io.gangway.testing.nacos.NacosDouble;
import java.net.InetSocketAddress;
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
 * Edits of an McpBridge registry entry under a request loop, through the real JVM and a real Envoy
 * (issue 8, item 2): the new watcher serves the old watcher's endpoints until its own first
 * successful listing, so an edit fails no request; with wrong credentials or an unreachable address
 * the old endpoints stay for good and {@code /status} reports the failure. Prints the failed
 * requests.
 */
class RegistryChangeEndToEndIT {

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
  void nacos2_wrongPassword_keepsTheOldEndpointsAndReportsTheFailure() throws Exception {
    try (NacosDouble nacos = NacosDouble.builder().auth("nacos", "right-password").start()) {
      nacos.registerInstance(
          "public", "DEFAULT_GROUP", "echo", "127.0.0.1", a.port(), 1.0, true, Map.of());
      String entry =
          """
          - {type: nacos2, name: nacos, domain: "127.0.0.1", port: %d, nacosGroups: [DEFAULT_GROUP],
             nacosUsername: nacos, nacosPassword: %s, nacosRefreshInterval: 1000000000}
          """;
      gw =
          new GatewayHarness(
              routes(
                  entry.formatted(nacos.port(), "right-password"),
                  "echo.DEFAULT-GROUP.public.nacos"));
      gw.startJvm();
      gw.startEnvoy();
      awaitOnly("a");
      try (RequestLoop loop = new RequestLoop(gw.httpPort, HOST)) {
        gw.writeRoutes(
            routes(
                entry.formatted(nacos.port(), "wrong-password"),
                "echo.DEFAULT-GROUP.public.nacos"));
        Thread.sleep(8_000); // the window measured: the new watcher logs in, fails, retries
        loop.close();
        System.out.printf("nacos2 entry edited to a wrong password: %s%n", loop.summary());
        assertThat(loop.failed.get()).as(loop.summary()).isZero();
      }
      GatewayHarness.await(
          "/status reports the failing new watcher",
          Duration.ofSeconds(20),
          () -> registryStatus("nacos2/nacos").contains("(registry failing: "));
      assertThat(registryStatus("nacos2/nacos"))
          .contains("stale: serving 1 endpoints of the previous configuration since")
          .contains("\"endpointsFrom\" : \"previous configuration\"")
          .contains("\"lastError\" : \"nacos 127.0.0.1:");
      assertThat(gw.logs()).doesNotContain("wrong-password").doesNotContain("right-password");
      // Fixed credentials: the watcher's first successful listing replaces the old endpoints.
      nacos.deregisterInstance("public", "DEFAULT_GROUP", "echo", "127.0.0.1", a.port());
      nacos.registerInstance(
          "public", "DEFAULT_GROUP", "echo", "127.0.0.1", b.port(), 1.0, true, Map.of());
      try (RequestLoop loop = new RequestLoop(gw.httpPort, HOST)) {
        gw.writeRoutes(
            routes(
                entry.formatted(nacos.port(), "right-password"),
                "echo.DEFAULT-GROUP.public.nacos"));
        awaitOnly("b");
        loop.close();
        System.out.printf("nacos2 entry edited back to the right password: %s%n", loop.summary());
        assertThat(loop.failed.get()).as(loop.summary()).isZero();
      }
      GatewayHarness.await(
          "/status says ready",
          Duration.ofSeconds(10),
          () -> registryStatus("nacos2/nacos").contains("\"state\" : \"ready\""));
    }
  }

  @Test
  void zookeeper_editedEntry_andThenAnUnreachableAddress_failNoRequest() throws Exception {
    try (TestingServer zk = new TestingServer(true)) {
      try (CuratorFramework c =
          CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
        c.start();
        c.create()
            .creatingParentsIfNeeded()
            .forPath("/services/echo/a", RegistryOutageEndToEndIT.instance("a", a.port()));
      }
      String backend = "echo.services.zookeeper";
      gw =
          new GatewayHarness(
              routes(
                  """
          - {type: zookeeper, name: zk, domain: "127.0.0.1", port: %d}
          """
                      .formatted(zk.getPort()),
                  backend));
      gw.startJvm();
      gw.startEnvoy();
      awaitOnly("a");
      int dead = GatewayHarness.freePort();
      try (RequestLoop loop = new RequestLoop(gw.httpPort, HOST)) {
        for (int i = 0; i < 5; i++) { // a changed entry that still lists: a new watcher each time
          gw.writeRoutes(
              routes(
                  """
              - {type: zookeeper, name: zk, domain: "127.0.0.1", port: %d, keepStaleWhenEmpty: %s}
              """
                      .formatted(zk.getPort(), i % 2 == 0),
                  backend));
          int before = loop.total();
          GatewayHarness.await(
              "requests after edit " + i,
              Duration.ofSeconds(20),
              () -> loop.total() > before + 100);
        }
        System.out.printf(
            "zookeeper entry edited 5 times: %d of %d requests failed%n",
            loop.failed.get(), loop.total());
        gw.writeRoutes(
            routes(
                """
            - {type: zookeeper, name: zk, domain: "127.0.0.1", port: %d}
            """
                    .formatted(dead),
                backend));
        Thread.sleep(8_000); // the window measured: the new watcher fails to connect (5 s), retries
        loop.close();
        System.out.printf(
            "zookeeper entry edited 5 times, then to an unreachable address: %s%n", loop.summary());
        assertThat(loop.failed.get()).as(loop.summary()).isZero();
      }
      GatewayHarness.await(
          "/status reports the unreachable address",
          Duration.ofSeconds(20),
          () -> registryStatus("zookeeper/zk").contains("(registry failing: "));
      assertThat(registryStatus("zookeeper/zk"))
          .contains("stale: serving 1 endpoints of the previous configuration since")
          .contains("\"lastError\" : \"cannot connect to ZooKeeper at 127.0.0.1:" + dead);
    }
  }

  private String registryStatus(String key) {
    String status = gw.gangwayAdmin("/status");
    int at = status.indexOf("\"" + key + "\" : "); // an object now; a plain string before issue 8
    return at < 0 ? "" : status.substring(at, status.indexOf('}', at) + 1);
  }

  private static String routes(String registry, String backend) {
    return RouteYaml.anyHost(registry, backend);
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
