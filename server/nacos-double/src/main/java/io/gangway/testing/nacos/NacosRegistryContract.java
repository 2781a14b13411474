package io.gangway.testing.nacos;

import io.gangway.registry.testkit.RegistryContractTest;
import io.gangway.spi.registry.RegistryConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The registry contract bound to the Nacos double: the {@code nacos} (v1 HTTP) and {@code nacos2}
 * adapters each subclass it with their type and settings. Instances are registered in namespace
 * {@code public}, group {@code DEFAULT_GROUP}, service {@code greeting}; outages stop the double.
 */
public abstract class NacosRegistryContract extends RegistryContractTest {

  private NacosDouble nacos;

  /** The McpBridge type under test, e.g. {@code nacos2}. */
  protected abstract String registryType();

  /** Settings beyond address and group (e.g. a fast poll interval for the test). */
  protected abstract Map<String, Object> extraSettings();

  @BeforeAll
  static void clientFiles() {
    System.setProperty("JM.LOG.PATH", "target/nacos-logs");
    System.setProperty("JM.SNAPSHOT.PATH", "target/nacos-cache");
    // The contract's outage case needs a listing error within seconds; Higress's floor is 10 s.
    System.setProperty("gangway.registry.allowFastRefresh", "true");
  }

  @BeforeEach
  final void startNacos() {
    nacos = NacosDouble.start();
  }

  @AfterEach
  final void stopNacos() {
    nacos.close();
  }

  @Override
  protected final RegistryConfig registryConfig() {
    Map<String, Object> spec = new HashMap<>(Map.of("domain", "127.0.0.1", "port", String.valueOf(nacos.port()),
        "nacosGroups", List.of("DEFAULT_GROUP"), "nacosRefreshInterval", "1000000000"));
    spec.putAll(extraSettings());
    return new RegistryConfig(registryType(), "nacos", spec);
  }

  @Override
  protected final String serviceHost() {
    return "greeting.DEFAULT-GROUP.public.nacos";
  }

  @Override
  protected final void addInstance(String address, int port) {
    nacos.registerInstance("public", "DEFAULT_GROUP", "greeting", address, port, 1.0, true, Map.of());
  }

  @Override
  protected final void removeInstance(String address, int port) {
    nacos.deregisterInstance("public", "DEFAULT_GROUP", "greeting", address, port);
  }

  @Override
  protected final void makeUnreachable() {
    nacos.stop();
  }

  @Override
  protected final void makeReachable() {
    nacos.restart();
  }

  /** The double's threads, nacos-client's process-wide pools and the JDK HttpClient are not the adapter's. */
  @Override
  protected boolean isSharedThread(Thread thread) {
    String n = thread.getName();
    return n.startsWith("HttpClient-") || n.startsWith("com.alibaba.nacos") || n.contains("grpc")
        || n.contains("nacos") || n.contains("Nacos");
  }
}
