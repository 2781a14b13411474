package io.gangway.testing.nacos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.config.listener.AbstractListener;
import com.alibaba.nacos.api.naming.NamingService;
import com.alibaba.nacos.api.naming.listener.NamingEvent;
import com.alibaba.nacos.api.naming.pojo.Instance;
import com.alibaba.nacos.api.naming.pojo.ListView;
import com.alibaba.nacos.common.utils.MD5Utils;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour Gangway relies on, checked with the real nacos-client 3.1.1. The same methods run
 * against {@link NacosDouble} ({@link NacosDoubleContractTest}) and, when {@code NACOS_ADDR} is
 * set, against a real server ({@link RealNacosContractTest}). Every test uses fresh names, so runs
 * against a shared real server do not interfere. Waits are bounded by deadlines; push latencies are
 * printed as {@code [latency] ...} lines.
 */
abstract class NacosContractTest {

  static final String GROUP = "GANGWAY_TEST";
  private static final long GET_TIMEOUT_MS = 3000;
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final long PUSH_LATENCY_LIMIT_MS = 1000;
  private static final String NULL_CONTENT = "<null>";

  NacosServerHandle server;
  NacosClients clients;
  String id;

  /** Opens the server under test; called before each test and closed after it. */
  abstract NacosServerHandle openServer() throws Exception;

  @BeforeEach
  void openServerAndClients() throws Exception {
    server = openServer();
    clients = new NacosClients(server.serverAddr(), server.credentials());
    id = UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void closeServerAndClients() throws Exception {
    clients.close();
    server.close();
  }

  @Test
  void getConfig_existingConfig_returnsContent() throws Exception {
    String dataId = dataId("existing");
    server.publishConfig("", GROUP, dataId, "routes: [a]");
    ConfigService client = clients.config("");

    awaitConfig(client, dataId, "routes: [a]");
  }

  @Test
  void getConfig_missingConfig_returnsNull() throws Exception {
    ConfigService client = clients.config("");

    assertThat(client.getConfig(dataId("missing"), GROUP, GET_TIMEOUT_MS)).isNull();
  }

  @Test
  void publishConfig_viaClient_isReadByAnotherClient() throws Exception {
    String dataId = dataId("published");
    ConfigService publisher = clients.config("");
    ConfigService reader = clients.config("");

    assertThat(publisher.publishConfig(dataId, GROUP, "a: 1", "yaml")).isTrue();

    awaitConfig(reader, dataId, "a: 1");
  }

  @Test
  void publishConfigCas_currentMd5_replacesContent() throws Exception {
    String dataId = dataId("cas-ok");
    ConfigService client = clients.config("");
    assertThat(client.publishConfig(dataId, GROUP, "v1")).isTrue();
    awaitConfig(client, dataId, "v1");

    assertThat(client.publishConfigCas(dataId, GROUP, "v2", md5("v1"))).isTrue();

    awaitConfig(client, dataId, "v2");
  }

  @Test
  void publishConfigCas_staleMd5_failsAndKeepsContent() throws Exception {
    String dataId = dataId("cas-stale");
    ConfigService client = clients.config("");
    assertThat(client.publishConfig(dataId, GROUP, "v1")).isTrue();
    assertThat(client.publishConfigCas(dataId, GROUP, "v2", md5("v1"))).isTrue();
    awaitConfig(client, dataId, "v2");

    boolean replaced = client.publishConfigCas(dataId, GROUP, "v3", md5("v1"));

    assertThat(replaced).isFalse();
    assertThat(client.getConfig(dataId, GROUP, GET_TIMEOUT_MS)).isEqualTo("v2");
  }

  @Test
  void addListener_serverSidePublish_receivesPushWithinOneSecond() throws Exception {
    String dataId = dataId("listened");
    server.publishConfig("", GROUP, dataId, "v1");
    ConfigService client = clients.config("");
    awaitConfig(client, dataId, "v1");
    BlockingQueue<String> received = listen(client, dataId);
    // The first change proves the listen is registered; the second one is measured. Its latency
    // includes the client's own Limiter (at most 5 fetches a second of the same key), so a change
    // within 200 ms of the previous fetch is fetched only when that window ends.
    server.publishConfig("", GROUP, dataId, "v2");
    Await.next(received, WAIT, "v2", "v2"::equals);

    long start = System.nanoTime();
    server.publishConfig("", GROUP, dataId, "v3");
    Await.next(received, WAIT, "v3", "v3"::equals);

    assertPushLatency("config push, publish by the server side", start);
  }

  @Test
  void addListener_publishByAnotherClient_receivesPushWithinOneSecond() throws Exception {
    String dataId = dataId("listened-client");
    ConfigService publisher = clients.config("");
    ConfigService listener = clients.config("");
    assertThat(publisher.publishConfig(dataId, GROUP, "v1")).isTrue();
    awaitConfig(listener, dataId, "v1");
    BlockingQueue<String> received = listen(listener, dataId);
    assertThat(publisher.publishConfig(dataId, GROUP, "v2")).isTrue();
    Await.next(received, WAIT, "v2", "v2"::equals);

    long start = System.nanoTime();
    assertThat(publisher.publishConfig(dataId, GROUP, "v3")).isTrue();
    Await.next(received, WAIT, "v3", "v3"::equals);

    assertPushLatency("config push, publish by another client", start);
  }

  @Test
  void removeConfig_existingConfig_readersAndListenersSeeNull() throws Exception {
    String dataId = dataId("removed");
    server.publishConfig("", GROUP, dataId, "v1");
    ConfigService remover = clients.config("");
    ConfigService listener = clients.config("");
    awaitConfig(listener, dataId, "v1");
    BlockingQueue<String> received = listen(listener, dataId);

    assertThat(remover.removeConfig(dataId, GROUP)).isTrue();

    Await.next(received, WAIT, "removal (null content)", NULL_CONTENT::equals);
    Await.until(
        WAIT, "config gone", () -> remover.getConfig(dataId, GROUP, GET_TIMEOUT_MS) == null);
  }

  @Test
  void getConfig_sameKeyInTwoNamespaces_eachSeesItsOwn() throws Exception {
    String dataId = dataId("isolated");
    String ns1 = "gangway-a-" + id;
    String ns2 = "gangway-b-" + id;
    server.publishConfig(ns1, GROUP, dataId, "one");
    server.publishConfig(ns2, GROUP, dataId, "two");

    awaitConfig(clients.config(ns1), dataId, "one");
    awaitConfig(clients.config(ns2), dataId, "two");
    assertThat(clients.config("").getConfig(dataId, GROUP, GET_TIMEOUT_MS)).isNull();
  }

  @Test
  void registerInstance_viaClient_isSeenByAnotherClient() throws Exception {
    String service = service("registered");
    NamingService registrar = clients.naming("");
    NamingService reader = clients.naming("");
    Instance instance = instance("10.0.0.1", 8080);
    instance.setWeight(2.0);
    instance.setMetadata(Map.of("zone", "a"));

    registrar.registerInstance(service, GROUP, instance);

    Await.until(
        WAIT, "the instance", () -> reader.getAllInstances(service, GROUP, false).size() == 1);
    Instance seen = reader.getAllInstances(service, GROUP, false).get(0);
    assertThat(seen.getIp()).isEqualTo("10.0.0.1");
    assertThat(seen.getPort()).isEqualTo(8080);
    assertThat(seen.getWeight()).isEqualTo(2.0);
    assertThat(seen.isHealthy()).isTrue();
    assertThat(seen.isEnabled()).isTrue();
    assertThat(seen.getClusterName()).isEqualTo("DEFAULT");
    assertThat(seen.getMetadata()).containsEntry("zone", "a");
  }

  @Test
  void batchRegisterInstance_twoInstances_bothSeenBySubscriber() throws Exception {
    String service = service("batch");
    NamingService registrar = clients.naming("");
    NamingService reader = clients.naming("");

    registrar.batchRegisterInstance(
        service, GROUP, List.of(instance("10.0.1.1", 80), instance("10.0.1.2", 80)));

    Await.until(
        WAIT,
        "both instances",
        () -> ips(reader.getAllInstances(service, GROUP)).equals(Set.of("10.0.1.1", "10.0.1.2")));
  }

  @Test
  void subscribe_serverSideRegisterAndDeregister_receivesPushesWithinOneSecond() throws Exception {
    String service = service("subscribed");
    NamingService client = clients.naming("");
    BlockingQueue<Set<String>> events = subscribe(client, service);

    long registered = System.nanoTime();
    server.registerInstance("", GROUP, service, "10.0.0.2", 8080, Map.of("version", "1"));
    Await.next(events, WAIT, "a push with 10.0.0.2", ips -> ips.contains("10.0.0.2"));
    assertPushLatency("naming push, register by the server side", registered);

    long deregistered = System.nanoTime();
    server.deregisterInstance("", GROUP, service, "10.0.0.2", 8080);
    Await.next(events, WAIT, "a push without 10.0.0.2", ips -> !ips.contains("10.0.0.2"));
    assertPushLatency("naming push, deregister by the server side", deregistered);
  }

  @Test
  void subscribe_anotherClientRegistersThenShutsDown_receivesBothPushes() throws Exception {
    String service = service("peer");
    NamingService watcher = clients.naming("");
    NamingService peer = clients.naming("");
    BlockingQueue<Set<String>> events = subscribe(watcher, service);

    long registered = System.nanoTime();
    peer.registerInstance(service, GROUP, instance("10.0.0.3", 9090));
    Await.next(events, WAIT, "a push with 10.0.0.3", ips -> ips.contains("10.0.0.3"));
    assertPushLatency("naming push, register by another client", registered);

    // An ephemeral instance belongs to its client's connection: closing it removes the instance.
    long closed = System.nanoTime();
    clients.shutDown(peer);
    Await.next(events, WAIT, "a push without 10.0.0.3", ips -> !ips.contains("10.0.0.3"));
    assertPushLatency("naming push, registering client shut down", closed);
  }

  @Test
  void getServicesOfServer_sevenServices_pagesThroughAll() throws Exception {
    String group = "GANGWAY_PAGED_" + id;
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < 7; i++) {
      String service = service("paged-" + i);
      expected.add(service);
      server.registerInstance("", group, service, "10.0.2." + i, 80, Map.of());
    }
    NamingService client = clients.naming("");
    Await.until(
        WAIT, "7 services", () -> client.getServicesOfServer(1, 100, group).getCount() == 7);

    Set<String> seen = new HashSet<>();
    int[] pageSizes = {3, 3, 1, 0};
    for (int page = 1; page <= pageSizes.length; page++) {
      ListView<String> view = client.getServicesOfServer(page, 3, group);
      assertThat(view.getCount()).isEqualTo(7);
      assertThat(view.getData()).hasSize(pageSizes[page - 1]);
      seen.addAll(view.getData());
    }
    assertThat(seen).isEqualTo(expected);
  }

  @Test
  void namespaces_sameServiceInTwoNamespaces_areIsolated() throws Exception {
    String service = service("isolated");
    String ns1 = "gangway-a-" + id;
    String ns2 = "gangway-b-" + id;
    server.registerInstance(ns1, GROUP, service, "10.0.3.1", 80, Map.of());
    server.registerInstance(ns2, GROUP, service, "10.0.3.2", 80, Map.of());

    NamingService client1 = clients.naming(ns1);
    NamingService client2 = clients.naming(ns2);
    Await.until(
        WAIT,
        "ns1",
        () -> ips(client1.getAllInstances(service, GROUP, false)).equals(Set.of("10.0.3.1")));
    Await.until(
        WAIT,
        "ns2",
        () -> ips(client2.getAllInstances(service, GROUP, false)).equals(Set.of("10.0.3.2")));
    assertThat(clients.naming("").getAllInstances(service, GROUP, false)).isEmpty();
  }

  @Test
  void outage_serverStoppedThenRestarted_clientsServeCacheAndResync() throws Exception {
    assumeTrue(server.supportsOutage(), "only a double can be stopped from a test");
    String dataId = dataId("outage");
    String service = service("outage");
    server.publishConfig("", GROUP, dataId, "before");
    ConfigService config = clients.config("");
    awaitConfig(config, dataId, "before");
    BlockingQueue<String> received = listen(config, dataId);
    NamingService registrar = clients.naming("");
    registrar.registerInstance(service, GROUP, instance("10.0.4.1", 80));
    NamingService watcher = clients.naming("");
    BlockingQueue<Set<String>> events = subscribe(watcher, service);
    Await.until(
        WAIT,
        "subscribed view",
        () -> ips(watcher.getAllInstances(service, GROUP)).contains("10.0.4.1"));

    server.stop();

    // Cached data keeps serving: the config snapshot and the subscription cache.
    assertThat(config.getConfig(dataId, GROUP, 1000)).isEqualTo("before");
    assertThat(ips(watcher.getAllInstances(service, GROUP))).containsExactly("10.0.4.1");
    server.publishConfig("", GROUP, dataId, "during-outage");

    long restarted = System.nanoTime();
    server.restart();

    Await.next(
        received,
        Duration.ofSeconds(20),
        "the change made during the outage",
        "during-outage"::equals);
    System.out.printf("[latency] config resync after restart: %d ms%n", millisSince(restarted));
    events.clear();
    // The registrar's redo re-registers the instance the restart dropped.
    Await.until(
        Duration.ofSeconds(20),
        "re-registered instance",
        () -> ips(watcher.getAllInstances(service, GROUP)).contains("10.0.4.1"));
    System.out.printf("[latency] naming redo after restart: %d ms%n", millisSince(restarted));
  }

  String dataId(String purpose) {
    return "gangway-" + purpose + "-" + id + ".yaml";
  }

  String service(String purpose) {
    return "gangway-" + purpose + "-" + id;
  }

  static Instance instance(String ip, int port) {
    Instance instance = new Instance();
    instance.setIp(ip);
    instance.setPort(port);
    return instance;
  }

  static Set<String> ips(List<Instance> instances) {
    Set<String> ips = new HashSet<>();
    instances.forEach(i -> ips.add(i.getIp()));
    return ips;
  }

  static String md5(String content) {
    return MD5Utils.md5Hex(content, "UTF-8");
  }

  static void awaitConfig(ConfigService client, String dataId, String content) throws Exception {
    Await.until(
        WAIT,
        "config " + dataId + " = " + content,
        () -> content.equals(client.getConfig(dataId, GROUP, GET_TIMEOUT_MS)));
  }

  static BlockingQueue<String> listen(ConfigService client, String dataId) throws Exception {
    BlockingQueue<String> received = new LinkedBlockingQueue<>();
    client.addListener(
        dataId,
        GROUP,
        new AbstractListener() {
          @Override
          public void receiveConfigInfo(String content) {
            received.add(Objects.requireNonNullElse(content, NULL_CONTENT));
          }
        });
    return received;
  }

  static BlockingQueue<Set<String>> subscribe(NamingService client, String service)
      throws Exception {
    BlockingQueue<Set<String>> events = new LinkedBlockingQueue<>();
    client.subscribe(
        service,
        GROUP,
        event -> {
          if (event instanceof NamingEvent naming) {
            events.add(ips(naming.getInstances()));
          }
        });
    return events;
  }

  static void assertPushLatency(String what, long startNanos) {
    long millis = millisSince(startNanos);
    System.out.printf("[latency] %s: %d ms%n", what, millis);
    assertThat(millis).as(what + " latency in ms").isLessThan(PUSH_LATENCY_LIMIT_MS);
  }

  static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
