package io.gangway.registry.eureka;

import io.gangway.registry.testkit.RegistryContractTest;
import io.gangway.registry.testkit.TcpCut;
import io.gangway.spi.registry.RegistryConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Runs registry-testkit's {@link RegistryContractTest} for the {@code eureka} adapter. The adapter
 * talks to the target through a {@link TcpCut}, so the contract's outage hooks work for the double
 * and for a real server alike; instances are changed directly on the target through the REST API.
 *
 * <p>A second ("keeper") application stays registered throughout: the adapter deliberately ignores
 * an answer listing no application at all (a restarted, still empty server), and the contract's
 * last-instance case must see a registry that still lists something.
 */
abstract class AbstractEurekaContractTest extends RegistryContractTest {

  private final String app =
      "gwc" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36) + "-svc";
  private final List<String> ids = new ArrayList<>();
  private EurekaWriter eureka;
  private TcpCut cut;

  /** Opens the Eureka server for one test. */
  protected abstract EurekaTarget open() throws Exception;

  /** Releases what {@link #open} opened. */
  protected void shutdown() {}

  @BeforeEach
  final void openTarget() throws Exception {
    EurekaTarget target = open();
    eureka = new EurekaWriter(target);
    cut = TcpCut.to(target.host(), target.port());
    eureka.registerUp(app + "-keeper", "keeper", "192.0.2.99", 80, Map.of());
  }

  @AfterEach
  final void closeTarget() {
    cut.close();
    try {
      eureka.deregister(app + "-keeper", "keeper");
      ids.forEach(id -> eureka.deregister(app, id));
    } catch (RuntimeException ignored) {
      // Best effort.
    }
    shutdown();
  }

  @Override
  protected RegistryConfig registryConfig() {
    Map<String, Object> spec = new HashMap<>();
    spec.put("domain", "127.0.0.1");
    spec.put("port", cut.port());
    spec.put(EurekaSettings.TEST_REFRESH_FIELD, 200);
    return new RegistryConfig("eureka", app, spec);
  }

  @Override
  protected String serviceHost() {
    return app.toUpperCase(Locale.ROOT) + ".eureka";
  }

  @Override
  protected void addInstance(String address, int port) {
    ids.add(address);
    eureka.registerUp(app, address, address, port, Map.of());
  }

  @Override
  protected void removeInstance(String address, int port) {
    eureka.deregister(app, address);
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
    String n = thread.getName();
    // The forwarder, the double and the test's own REST client belong to the test. The adapter's
    // HttpClient selector thread ("HttpClient-<n>-SelectorManager") also matches: JDK 17's
    // HttpClient
    // has no close(); that thread ends once the closed registry's client is garbage collected.
    return n.startsWith("tcp-cut")
        || n.startsWith("eureka-double")
        || n.startsWith("HTTP-Dispatcher")
        || n.startsWith("HttpClient-");
  }
}
