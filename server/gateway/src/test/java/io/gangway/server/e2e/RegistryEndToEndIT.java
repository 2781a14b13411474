package io.gangway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.echo.EchoServer;
import io.gangway.registry.testkit.DnsmasqExtension;
import io.gangway.testing.nacos.NacosDouble;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Registries end to end, each against a real registry or a protocol double the real client talks
 * to, through the real JVM and a real Envoy: an instance registered in the registry receives
 * traffic, a deregistered one stops receiving it, and a dead registry does not stop traffic. Each
 * prints the registry change → Envoy serving latency it measured.
 */
class RegistryEndToEndIT {

  @RegisterExtension final DnsmasqExtension dns = new DnsmasqExtension();

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
  void zookeeper_springCloudInstances_followRegistrationsAndSurviveAnOutage() throws Exception {
    try (TestingServer zk = new TestingServer(true);
        CuratorFramework c =
            CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
      c.start();
      c.create().creatingParentsIfNeeded().forPath("/services/echo/a", instance("a", a.port()));
      start(
          """
          - {type: zookeeper, name: zk, domain: "127.0.0.1", port: %d}
          """
              .formatted(zk.getPort()),
          "echo.services.zookeeper");
      awaitOnly("a");
      long t0 = System.nanoTime();
      c.create().forPath("/services/echo/b", instance("b", b.port()));
      awaitSeen("b");
      print("zookeeper", "register", t0);
      t0 = System.nanoTime();
      c.delete().forPath("/services/echo/a");
      awaitOnly("b");
      print("zookeeper", "deregister", t0);
      zk.stop();
      assertTrafficContinues("b");
    }
  }

  @Test
  void nacos2_shortServiceName_instancesArriveByPush_andSurviveAnOutage() throws Exception {
    try (NacosDouble nacos = NacosDouble.start()) {
      nacos.registerInstance(
          "public", "DEFAULT_GROUP", "echo", "127.0.0.1", a.port(), 1.0, true, Map.of());
      start(
          """
          - {type: nacos2, name: nacos, domain: "127.0.0.1", port: %d, nacosGroups: [DEFAULT_GROUP]}
          """
              .formatted(nacos.port()),
          "echo"); // a short name: resolved to echo.DEFAULT-GROUP.public.nacos
      awaitOnly("a");
      long t0 = System.nanoTime();
      nacos.registerInstance(
          "public", "DEFAULT_GROUP", "echo", "127.0.0.1", b.port(), 1.0, true, Map.of());
      awaitSeen("b");
      print("nacos2", "register", t0);
      t0 = System.nanoTime();
      nacos.deregisterInstance("public", "DEFAULT_GROUP", "echo", "127.0.0.1", a.port());
      awaitOnly("b");
      print("nacos2", "deregister", t0);
      nacos.stop();
      assertTrafficContinues("b");
    }
  }

  @Test
  void dns_recordChangesMoveTraffic_andADeadResolverDoesNot() throws Exception {
    try (EchoServer a2 = EchoServer.start(new InetSocketAddress("127.0.0.2", a.port()), "a2")) {
      String name = "echo." + DnsmasqExtension.ZONE;
      dns.add(name, "127.0.0.1");
      start(
          """
          - {type: dns, name: resolved, domain: "%s", port: %d, dnsServer: "127.0.0.1:%d"}
          """
              .formatted(name, a.port(), dns.port()),
          "resolved.dns");
      awaitOnly("a");
      long t0 = System.nanoTime();
      dns.add(name, "127.0.0.2");
      awaitSeen("a2");
      print("dns", "add record", t0);
      t0 = System.nanoTime();
      dns.remove(name, "127.0.0.1");
      awaitOnly("a2");
      print("dns", "remove record", t0);
      dns.stop();
      assertTrafficContinues("a2");
    }
  }

  private void start(String registry, String host) throws Exception {
    gw = new GatewayHarness(RouteYaml.anyHost(registry, host));
    gw.startJvm();
    gw.startEnvoy();
  }

  private static byte[] instance(String id, int port) {
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
      RawHttp.Response r = RawHttp.get(gw.httpPort, "registry.test", "/");
      return r.status() == 200 ? r.backend() : "status " + r.status();
    } catch (Exception e) {
      return e.toString();
    }
  }

  /** Waits until {@code name} answers at least once. */
  private void awaitSeen(String name) throws InterruptedException {
    GatewayHarness.await(
        name + " receives traffic", Duration.ofSeconds(10), () -> backend().equals(name));
  }

  /** Waits until 20 requests in a row all reach {@code name}. */
  private void awaitOnly(String name) throws InterruptedException {
    GatewayHarness.await(
        "only " + name + " receives traffic",
        Duration.ofSeconds(15),
        () -> {
          for (int i = 0; i < 20; i++) {
            if (!backend().equals(name)) {
              return false;
            }
          }
          return true;
        });
  }

  /** Checks that requests keep reaching {@code name} for three seconds with the registry down. */
  private void assertTrafficContinues(String name) throws InterruptedException {
    Set<String> seen = new HashSet<>();
    long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    int n = 0;
    while (System.nanoTime() < end) {
      seen.add(backend());
      n++;
      Thread.sleep(10);
    }
    assertThat(seen).as("%d requests with the registry down", n).containsExactly(name);
  }

  private static void print(String registry, String change, long t0) {
    System.out.printf(
        "registry change -> Envoy serving: %s %s %d ms%n",
        registry, change, (System.nanoTime() - t0) / 1_000_000);
  }
}
