package io.gangway.registry.consul;

import io.gangway.registry.testkit.RegistryContractTest;
import io.gangway.registry.testkit.TcpCut;
import io.gangway.spi.registry.RegistryConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Runs registry-testkit's {@link RegistryContractTest} for the {@code consul} adapter. The adapter
 * talks to the target through a {@link TcpCut}, so the contract's outage hooks work for the double
 * and for a real agent alike; instances are changed directly on the target through the HTTP API
 * (also while the adapter is cut off).
 */
abstract class AbstractConsulContractTest extends RegistryContractTest {

  private final String service =
      "gwc" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36) + "_svc";
  private final List<String> nodes = new ArrayList<>();
  private ConsulTarget target;
  private CatalogWriter catalog;
  private TcpCut cut;

  /** Opens the Consul server for one test. */
  protected abstract ConsulTarget open() throws Exception;

  /** Releases what {@link #open} opened. */
  protected void shutdown() {}

  @BeforeEach
  final void openTarget() throws Exception {
    target = open();
    catalog = new CatalogWriter(target);
    cut = TcpCut.to(target.host(), target.port());
  }

  @AfterEach
  final void closeTarget() {
    cut.close();
    for (String node : nodes) {
      try {
        catalog.deregisterNode(node);
      } catch (RuntimeException ignored) {
        // Best effort.
      }
    }
    shutdown();
  }

  @Override
  protected RegistryConfig registryConfig() {
    Map<String, Object> spec = new HashMap<>();
    spec.put("domain", "127.0.0.1");
    spec.put("port", cut.port());
    spec.put("consulDatacenter", target.datacenter());
    spec.put(ConsulSettings.TEST_REFRESH_FIELD, 200);
    if (target.token() != null) {
      spec.put("consulToken", target.token());
    }
    return new RegistryConfig("consul", service.replace('_', '-'), spec);
  }

  @Override
  protected String serviceHost() {
    return (service + "." + target.datacenter() + ".consul").replace('_', '-');
  }

  @Override
  protected void addInstance(String address, int port) {
    String node = service.replace('_', '-') + "-" + address;
    nodes.add(node);
    catalog.register(node, address, node, service, address, port, List.of(), Map.of(), true);
  }

  @Override
  protected void removeInstance(String address, int port) {
    String node = service.replace('_', '-') + "-" + address;
    catalog.deregister(node, node);
  }

  @Override
  protected void makeUnreachable() {
    cut.cut();
  }

  @Override
  protected void makeReachable() throws Exception {
    cut.restore();
  }

  @Override
  protected boolean isSharedThread(Thread thread) {
    // The forwarder and the in-process double belong to the test, not to the adapter.
    return thread.getName().startsWith("tcp-cut")
        || thread.getName().startsWith("consul-double")
        || thread.getName().startsWith("HTTP-Dispatcher");
  }
}
