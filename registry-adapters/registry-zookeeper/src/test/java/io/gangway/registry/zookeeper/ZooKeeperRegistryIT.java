package io.gangway.registry.zookeeper;

import static io.gangway.registry.zookeeper.ZooKeeperSpringCloudContractIT.instance;
import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.registry.testkit.RecordingListener;
import io.gangway.registry.testkit.RecordingListener.Kind;
import io.gangway.spi.registry.Endpoint;
import io.gangway.spi.registry.RegistryConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.KillSession;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** ZooKeeper-specific behaviour against a real ZooKeeper: session expiry, layouts, late start. */
class ZooKeeperRegistryIT {

  private static final Duration WAIT = Duration.ofSeconds(5);

  @RegisterExtension final ZooKeeperExtension zk = new ZooKeeperExtension();
  private final RecordingListener listener = new RecordingListener();
  private @Nullable ZooKeeperRegistry registry;

  @AfterEach
  void closeRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  private ZooKeeperRegistry start(Map<String, Object> extra) {
    Map<String, Object> spec =
        new java.util.HashMap<>(Map.of("domain", "127.0.0.1", "port", zk.port()));
    spec.putAll(extra);
    ZooKeeperRegistry r =
        (ZooKeeperRegistry)
            new ZooKeeperRegistryProvider().create(new RegistryConfig("zookeeper", "zk", spec));
    registry = r;
    r.start(listener);
    return r;
  }

  private void springInstance(String path, String address, int port) throws Exception {
    zk.write(
        c ->
            c.create().creatingParentsIfNeeded().forPath(path, instance("x", path, address, port)));
  }

  @Test
  void sessionExpiry_keepsTheEndpoints_reportsOnce_andResyncsAfterTheNewSession() throws Exception {
    springInstance("/services/greeting/a", "192.0.2.10", 8080);
    ZooKeeperRegistry r = start(Map.of());
    listener.awaitAddresses("greeting.services.zookeeper", List.of("192.0.2.10:8080"), WAIT);
    KillSession.kill(r.client().getZookeeperClient().getZooKeeper());
    listener.awaitCount(Kind.ERROR, 1, WAIT);
    springInstance("/services/greeting/b", "192.0.2.11", 8080);
    listener.awaitAddresses(
        "greeting.services.zookeeper", List.of("192.0.2.10:8080", "192.0.2.11:8080"), WAIT);
    assertThat(listener.events(Kind.ERROR)).hasSize(1);
    assertThat(listener.events(Kind.ENDPOINTS))
        .noneMatch(e -> e.set() != null && e.set().endpoints().isEmpty());
  }

  @Test
  void layouts_extraRootsSkippedChildrenLateServicesAndDeletedServices() throws Exception {
    springInstance("/a/b/orders/1", "192.0.2.20", 9000);
    springInstance("/services/config/1", "192.0.2.99", 1);
    zk.write(c -> c.create().creatingParentsIfNeeded().forPath("/dubbo/metadata/x"));
    zk.write(
        c ->
            c.create()
                .creatingParentsIfNeeded()
                .forPath("/services/broken/1", "not json".getBytes()));
    start(Map.of("zkServicesPath", List.of("/a/b/", "/services", "/dubbo")));
    listener.awaitAddresses("orders.a-b.zookeeper", List.of("192.0.2.20:9000"), WAIT);
    listener.awaitCount(Kind.READY, 1, WAIT);
    assertThat(listener.current("broken.services.zookeeper"))
        .hasValueSatisfying(s -> assertThat(s.endpoints()).isEmpty());
    springInstance("/services/late/1", "192.0.2.30", 80);
    listener.awaitAddresses("late.services.zookeeper", List.of("192.0.2.30:80"), WAIT);
    zk.write(c -> c.delete().deletingChildrenIfNeeded().forPath("/services/late"));
    listener.awaitCount(Kind.REMOVED, 1, WAIT);
    assertThat(listener.events(Kind.REMOVED).get(0).host()).isEqualTo("late.services.zookeeper");
    assertThat(listener.events())
        .noneMatch(e -> e.host().startsWith("config.") || e.host().contains("metadata"));
  }

  @Test
  void dubbo_versionsAndGroupsOfOneInterface_areSeparateHosts_withDefaultsAndMetadata()
      throws Exception {
    String iface = "org.example.EchoService";
    zk.write(
        c ->
            c.create()
                .creatingParentsIfNeeded()
                .forPath(ZooKeeperDubboContractIT.providerNode(iface, "192.0.2.1", 20880, "")));
    zk.write(
        c ->
            c.create()
                .creatingParentsIfNeeded()
                .forPath(
                    ZooKeeperDubboContractIT.providerNode(
                        iface, "192.0.2.2", 20880, "&version=2.0.0&group=blue")));
    zk.write(c -> c.create().creatingParentsIfNeeded().forPath("/dubbo/" + iface + "/consumers/x"));
    start(Map.of());
    listener.awaitAddresses(
        "providers:" + iface + ":0.0.0:.zookeeper", List.of("192.0.2.1:20880"), WAIT);
    listener.awaitAddresses(
        "providers:" + iface + ":2.0.0:blue.zookeeper", List.of("192.0.2.2:20880"), WAIT);
    Endpoint e =
        listener
            .current("providers:" + iface + ":2.0.0:blue.zookeeper")
            .orElseThrow()
            .endpoints()
            .get(0);
    assertThat(e.metadata())
        .containsEntry("protocol", "dubbo")
        .containsEntry("version", "2.0.0")
        .containsEntry("group", "blue")
        .containsEntry("methods", "greet,hello")
        .containsEntry("interface", iface);
    zk.write(
        c ->
            c.delete()
                .forPath(
                    ZooKeeperDubboContractIT.providerNode(
                        iface, "192.0.2.2", 20880, "&version=2.0.0&group=blue")));
    listener.awaitAddresses("providers:" + iface + ":2.0.0:blue.zookeeper", List.of(), WAIT);
    assertThat(listener.currentAddresses("providers:" + iface + ":0.0.0:.zookeeper"))
        .containsExactly("192.0.2.1:20880");
  }

  @Test
  void unreachableAtStart_reportsTheError_thenPublishesOnceReachable() throws Exception {
    springInstance("/services/greeting/a", "192.0.2.10", 8080);
    zk.stop();
    start(Map.of());
    listener.awaitCount(Kind.ERROR, 1, Duration.ofSeconds(10));
    assertThat(listener.events(Kind.ERROR).get(0).error())
        .hasMessageContaining("127.0.0.1:" + zk.port());
    zk.restart();
    listener.awaitAddresses(
        "greeting.services.zookeeper", List.of("192.0.2.10:8080"), Duration.ofSeconds(10));
    listener.awaitCount(Kind.READY, 1, WAIT);
  }
}
