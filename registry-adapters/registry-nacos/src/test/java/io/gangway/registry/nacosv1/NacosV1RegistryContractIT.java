package io.gangway.registry.nacosv1;

import io.gangway.registry.testkit.RegistryContractTest;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.testing.nacos.NacosDouble;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The registry contract for {@code nacos} (1.x) over the v1 HTTP API of the Nacos double. */
class NacosV1RegistryContractIT extends RegistryContractTest {

  private NacosDouble nacos;

  @BeforeAll
  static void clientFiles() {
    System.setProperty("JM.LOG.PATH", "target/nacos-logs");
    System.setProperty("JM.SNAPSHOT.PATH", "target/nacos-cache");
    // The contract's outage case needs a listing error within seconds; Higress's floor is 10 s.
    System.setProperty("gangway.registry.allowFastRefresh", "true");
  }

  @BeforeEach
  void startNacos() {
    nacos = NacosDouble.start();
  }

  @AfterEach
  void stopNacos() {
    nacos.close();
  }

  @Override
  protected RegistryConfig registryConfig() {
    return new RegistryConfig("nacos", "nacos1", Map.of("domain", "127.0.0.1", "port", String.valueOf(nacos.port()),
        "nacosGroups", List.of("DEFAULT_GROUP"), "nacosRefreshInterval", "1000000000", "nacosPollInterval", "200000000"));
  }

  @Override
  protected String adapterName() {
    return "nacos (1.x http)";
  }

  @Override
  protected String serviceHost() {
    return "greeting.DEFAULT-GROUP.public.nacos";
  }

  @Override
  protected void addInstance(String address, int port) {
    nacos.registerInstance("public", "DEFAULT_GROUP", "greeting", address, port, 1.0, true, Map.of());
  }

  @Override
  protected void removeInstance(String address, int port) {
    nacos.deregisterInstance("public", "DEFAULT_GROUP", "greeting", address, port);
  }

  @Override
  protected void makeUnreachable() {
    nacos.stop();
  }

  @Override
  protected void makeReachable() {
    nacos.restart();
  }

  @Override
  protected boolean isSharedThread(Thread thread) {
    // The adapters share one JDK HttpClient for the process; the double's own threads are not ours.
    String n = thread.getName();
    return n.startsWith("HttpClient-") || n.contains("grpc") || n.contains("nacos") || n.contains("Nacos");
  }
}
