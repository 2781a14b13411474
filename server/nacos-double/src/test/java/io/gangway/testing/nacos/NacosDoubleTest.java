package io.gangway.testing.nacos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.exception.NacosException;
import com.alibaba.nacos.api.exception.runtime.NacosRuntimeException;
import com.alibaba.nacos.api.naming.NamingService;
import com.alibaba.nacos.api.naming.listener.FuzzyWatchChangeEvent;
import com.alibaba.nacos.api.naming.listener.FuzzyWatchEventWatcher;
import com.alibaba.nacos.api.naming.pojo.Instance;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What only the double can show: its server-side view, health checks, availability, restarts. */
class NacosDoubleTest {

  private static final String GROUP = NacosContractTest.GROUP;
  private static final Duration WAIT = Duration.ofSeconds(10);

  private NacosDouble nacos;
  private NacosClients clients;

  @BeforeEach
  void start() {
    nacos = NacosDouble.start();
    clients = new NacosClients(nacos.serverAddr(), new Properties());
  }

  @AfterEach
  void stop() {
    clients.close();
    nacos.close();
  }

  @Test
  void start_freePorts_grpcPortIsMainPortPlus1000() throws Exception {
    assertThat(nacos.serverAddr()).isEqualTo("127.0.0.1:" + nacos.port());
    assertThat(nacos.grpcPort()).isEqualTo(nacos.port() + 1000);
    assertThat(accepts(nacos.port())).isTrue();
    assertThat(accepts(nacos.grpcPort())).isTrue();
  }

  @Test
  void publishConfig_viaClient_doubleHoldsContentMd5AndType() throws Exception {
    ConfigService client = clients.config("");

    assertThat(client.publishConfig("route.yaml", GROUP, "a: 1", "yaml")).isTrue();

    assertThat(nacos.getConfig("", GROUP, "route.yaml")).isEqualTo("a: 1");
    assertThat(nacos.getConfig("public", GROUP, "route.yaml")).isEqualTo("a: 1");
    assertThat(nacos.configMd5("", GROUP, "route.yaml")).isEqualTo(NacosContractTest.md5("a: 1"));
    assertThat(client.getConfig("route.yaml", GROUP, 3000)).isEqualTo("a: 1");
    assertThat(nacos.requestCount("ConfigPublishRequest")).isEqualTo(1);
    assertThat(nacos.unhandledRequests()).isEmpty();
  }

  @Test
  void removeConfig_missingConfig_returnsFalse() {
    assertThat(nacos.removeConfig("", GROUP, "nothing.yaml")).isFalse();
    assertThat(nacos.configMd5("", GROUP, "nothing.yaml")).isNull();
  }

  @Test
  void registerInstance_viaClient_doubleListsItUntilTheClientCloses() throws Exception {
    NamingService client = clients.naming("");
    client.registerInstance("svc", GROUP, NacosContractTest.instance("10.1.0.1", 80));

    assertThat(nacos.instances("", GROUP, "svc"))
        .containsExactly(
            new NacosDouble.RegisteredInstance(
                "10.1.0.1", 80, 1.0, true, true, "DEFAULT", Map.of()));
    assertThat(nacos.connectionCount()).isEqualTo(1);

    clients.shutDown(client);

    Await.until(
        WAIT,
        "instance dropped with its connection",
        () -> nacos.instances("", GROUP, "svc").isEmpty());
    assertThat(nacos.unhandledRequests()).isEmpty();
  }

  @Test
  void registerInstance_sameClientTwice_replacesItsRegistration() throws Exception {
    NamingService client = clients.naming("");

    client.registerInstance("svc", GROUP, NacosContractTest.instance("10.1.0.1", 80));
    client.registerInstance("svc", GROUP, NacosContractTest.instance("10.1.0.2", 80));

    // The server keeps one registration per client and service (batchRegisterInstance is for more).
    assertThat(nacos.instances("", GROUP, "svc"))
        .extracting(NacosDouble.RegisteredInstance::ip)
        .containsExactly("10.1.0.2");
  }

  @Test
  void registerInstance_persistentViaClient_goesOverHttpAndIsListed() throws Exception {
    NamingService client = clients.naming("");
    Instance persistent = NacosContractTest.instance("10.1.3.1", 80);
    persistent.setEphemeral(false);

    client.registerInstance("svc", GROUP, persistent);

    // The double announces no gRPC support for persistent instances, so the client uses v1 HTTP.
    assertThat(nacos.instances("", GROUP, "svc"))
        .extracting(NacosDouble.RegisteredInstance::ip)
        .containsExactly("10.1.3.1");
    client.deregisterInstance("svc", GROUP, persistent);
    assertThat(nacos.instances("", GROUP, "svc")).isEmpty();
    assertThat(nacos.unhandledRequests()).isEmpty();
  }

  @Test
  void fuzzyWatch_notAnnouncedByTheDouble_failsAsAgainstA2xServer() throws Exception {
    NamingService client = clients.naming("");

    assertThatThrownBy(() -> client.fuzzyWatch(GROUP, new NoopWatcher()))
        .isInstanceOfSatisfying(
            NacosRuntimeException.class, e -> assertThat(e.getErrCode()).isEqualTo(501));
  }

  @Test
  void healthCheck_idleClient_isAnsweredAndClientStaysUp() throws Exception {
    Properties fastKeepAlive = clients.properties("");
    fastKeepAlive.setProperty("nacos.remote.client.grpc.connect.keep.alive", "200");
    ConfigService client = com.alibaba.nacos.api.NacosFactory.createConfigService(fastKeepAlive);
    try {
      client.getConfig("anything.yaml", GROUP, 3000); // connects

      Await.until(WAIT, "a HealthCheckRequest", () -> nacos.requestCount("HealthCheckRequest") > 0);
      assertThat(client.getServerStatus()).isEqualTo("UP");
      assertThat(nacos.unhandledRequests()).isEmpty();
    } finally {
      client.shutDown();
    }
  }

  @Test
  void setAvailable_false_requestsFailUntilAvailableAgain() throws Exception {
    nacos.registerInstance("", GROUP, "svc", "10.1.1.1", 80, 1.0, true, Map.of());
    NamingService client = clients.naming("");
    assertThat(client.getAllInstances("svc", GROUP, false)).hasSize(1);

    nacos.setAvailable(false);

    assertThatThrownBy(() -> client.getAllInstances("svc", GROUP, false))
        .isInstanceOf(NacosException.class);
    nacos.setAvailable(true);
    Await.until(
        Duration.ofSeconds(20),
        "recovery",
        () -> client.getAllInstances("svc", GROUP, false).size() == 1);
  }

  @Test
  void restart_afterStop_samePortsAndStateKept() throws Exception {
    nacos.publishConfig("", GROUP, "kept.yaml", "kept");
    nacos.registerInstance("", GROUP, "svc", "10.1.2.1", 80, 1.0, true, Map.of("k", "v"));
    int port = nacos.port();

    nacos.stop();
    assertThat(accepts(port)).isFalse();
    assertThat(accepts(port + 1000)).isFalse();
    nacos.restart();

    assertThat(nacos.port()).isEqualTo(port);
    assertThat(clients.config("").getConfig("kept.yaml", GROUP, 3000)).isEqualTo("kept");
    assertThat(NacosContractTest.ips(clients.naming("").getAllInstances("svc", GROUP, false)))
        .containsExactly("10.1.2.1");
  }

  @Test
  void close_twice_isIdempotentAndRestartFails() {
    nacos.close();
    nacos.close();

    assertThatThrownBy(nacos::restart).isInstanceOf(IllegalStateException.class);
  }

  private static final class NoopWatcher implements FuzzyWatchEventWatcher {
    @Override
    public Executor getExecutor() {
      return Runnable::run;
    }

    @Override
    public void onEvent(FuzzyWatchChangeEvent event) {}
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
