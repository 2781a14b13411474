package io.gangway.registry.zookeeper;

import io.gangway.registry.testkit.RegistryContractTest;
import io.gangway.spi.registry.RegistryConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The registry contract for the Dubbo layout against a real ZooKeeper. Provider nodes are
 * persistent here (Dubbo makes them ephemeral) so the writer's own session cannot delete them
 * during an outage.
 */
class ZooKeeperDubboContractIT extends RegistryContractTest {

  static final String IFACE = "org.example.GreetingService";

  @RegisterExtension final ZooKeeperExtension zk = new ZooKeeperExtension();

  /** Returns the providers child name Dubbo writes: the URL-encoded provider URL. */
  static String providerNode(String iface, String address, int port, String params) {
    String url =
        "dubbo://"
            + address
            + ":"
            + port
            + "/"
            + iface
            + "?anyhost=true&application=demo&interface="
            + iface
            + "&methods=greet,hello"
            + params;
    return "/dubbo/" + iface + "/providers/" + URLEncoder.encode(url, StandardCharsets.UTF_8);
  }

  private static String node(String address, int port) {
    return providerNode(IFACE, address, port, "&version=1.0.0&group=dev&timestamp=1700000000000");
  }

  @Override
  protected RegistryConfig registryConfig() {
    return new RegistryConfig("zookeeper", "zk", Map.of("domain", "127.0.0.1", "port", zk.port()));
  }

  @Override
  protected String adapterName() {
    return "zookeeper dubbo";
  }

  @Override
  protected String serviceHost() {
    return "providers:" + IFACE + ":1.0.0:dev.zookeeper";
  }

  @Override
  protected void addInstance(String address, int port) throws Exception {
    zk.write(c -> c.create().creatingParentsIfNeeded().forPath(node(address, port)));
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
