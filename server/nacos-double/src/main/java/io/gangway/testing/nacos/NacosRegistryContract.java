package io.gangway.testing.nacos;

import io.gangway.registry.testkit.RegistryContractTest;
import io.gangway.spi.registry.RegistryConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The registry contract bound to a Nacos server: the {@code nacos} (v1 HTTP) and {@code nacos2}
 * adapters each subclass it with their type and settings. The server is the double, or a real
 * server when {@code NACOS_ADDR} is set ({@link RealServerHandle#fromEnvironment()}, with {@code
 * NACOS_USERNAME}/{@code NACOS_PASSWORD}); see {@link #openServer(Map)}. Instances are registered
 * in namespace {@code public}, group {@code DEFAULT_GROUP}, service {@code greeting} (plus a random
 * suffix on a real, possibly shared server). Outages stop the double; against a real server the
 * outage cases are skipped (aborted), since tests do not stop it.
 */
public abstract class NacosRegistryContract extends RegistryContractTest {

  private NacosServerHandle nacos;
  private String service = "greeting";

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

  /**
   * The server the contract runs against: a real server when {@code env} has a non-blank {@code
   * NACOS_ADDR}, else a new double.
   */
  public static NacosServerHandle openServer(Map<String, String> env) {
    String addr = env.get("NACOS_ADDR");
    if (addr != null && !addr.isBlank()) {
      return RealServerHandle.fromEnvironment(env);
    }
    return new DoubleServerHandle(NacosDouble.start());
  }

  @BeforeEach
  final void startNacos() {
    nacos = openServer(System.getenv());
    if (!nacos.supportsOutage()) {
      service = "greeting-" + UUID.randomUUID().toString().substring(0, 8);
    }
  }

  @AfterEach
  final void stopNacos() {
    nacos.close();
  }

  @Override
  protected final RegistryConfig registryConfig() {
    Map<String, Object> spec =
        new HashMap<>(
            Map.of(
                "domain",
                nacos.serverAddr(),
                "nacosGroups",
                List.of("DEFAULT_GROUP"),
                "nacosRefreshInterval",
                "1000000000"));
    String username = nacos.credentials().getProperty("username");
    if (username != null) {
      spec.put("nacosUsername", username);
      spec.put("nacosPassword", nacos.credentials().getProperty("password", ""));
    }
    spec.putAll(extraSettings());
    return new RegistryConfig(registryType(), "nacos", spec);
  }

  @Override
  protected final String serviceHost() {
    return service + ".DEFAULT-GROUP.public.nacos";
  }

  @Override
  protected final void addInstance(String address, int port) throws Exception {
    nacos.registerInstance("public", "DEFAULT_GROUP", service, address, port, Map.of());
  }

  @Override
  protected final void removeInstance(String address, int port) throws Exception {
    nacos.deregisterInstance("public", "DEFAULT_GROUP", service, address, port);
  }

  @Override
  protected final void makeUnreachable() {
    Assumptions.assumeTrue(nacos.supportsOutage(), "a real Nacos server is not stopped by tests");
    nacos.stop();
  }

  @Override
  protected final void makeReachable() {
    nacos.restart();
  }

  /**
   * The double's threads, nacos-client's process-wide pools and the JDK HttpClient are not the
   * adapter's.
   */
  @Override
  protected boolean isSharedThread(Thread thread) {
    String n = thread.getName();
    return n.startsWith("HttpClient-")
        || n.startsWith("com.alibaba.nacos")
        || n.contains("grpc")
        || n.contains("nacos")
        || n.contains("Nacos");
  }
}
