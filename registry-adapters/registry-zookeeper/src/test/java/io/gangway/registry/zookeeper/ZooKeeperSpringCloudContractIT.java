package io.gangway.registry.zookeeper;

import io.gangway.registry.testkit.RegistryContractTest;
import io.gangway.spi.registry.RegistryConfig;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The registry contract for the Spring Cloud layout ({@code /services}) against a real ZooKeeper.
 */
class ZooKeeperSpringCloudContractIT extends RegistryContractTest {

  @RegisterExtension final ZooKeeperExtension zk = new ZooKeeperExtension();

  /** Returns the Curator service-discovery JSON Spring Cloud Zookeeper writes for one instance. */
  static byte[] instance(String name, String id, String address, int port) {
    return ("{\"name\":\""
            + name
            + "\",\"id\":\""
            + id
            + "\",\"address\":\""
            + address
            + "\",\"port\":"
            + port
            + ",\"sslPort\":null,\"payload\":{\"@class\":\"org.springframework.cloud.zookeeper.discovery."
            + "ZookeeperInstance\",\"id\":\""
            + name
            + "\",\"name\":\""
            + name
            + "\",\"metadata\":{\"version\":\"1\",\"zone\":\"a\"}},\"registrationTimeUTC\":1700000000000,"
            + "\"serviceType\":\"DYNAMIC\",\"uriSpec\":{\"parts\":[]}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String node(String address, int port) {
    return "/services/greeting/" + address.replace('.', '-') + "-" + port;
  }

  @Override
  protected RegistryConfig registryConfig() {
    return new RegistryConfig("zookeeper", "zk", Map.of("domain", "127.0.0.1", "port", zk.port()));
  }

  @Override
  protected String adapterName() {
    return "zookeeper spring-cloud";
  }

  @Override
  protected String serviceHost() {
    return "greeting.services.zookeeper";
  }

  @Override
  protected void addInstance(String address, int port) throws Exception {
    zk.write(
        c ->
            c.create()
                .creatingParentsIfNeeded()
                .forPath(
                    node(address, port), instance("greeting", node(address, port), address, port)));
  }

  @Override
  protected void removeInstance(String address, int port) throws Exception {
    zk.write(c -> c.delete().forPath(node(address, port)));
  }

  @Override
  protected void makeUnreachable() throws Exception {
    zk.stop();
  }

  @Override
  protected void makeReachable() throws Exception {
    zk.restart();
  }

  @Override
  protected boolean isSharedThread(Thread thread) {
    return ZooKeeperExtension.isServerThread(thread);
  }
}
