package io.gangway.route.nacos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gangway.spi.route.RouteDocument;
import io.gangway.spi.route.RouteListener;
import io.gangway.spi.route.RouteSnapshot;
import io.gangway.testing.nacos.NacosServerHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Nacos route source through the real nacos-client over gRPC. The same tests run against the
 * Nacos double ({@link DoubleNacosRouteSourceTest}, {@link DoubleAuthNacosRouteSourceTest}) and,
 * when {@code NACOS_ADDR} is set, against a real server ({@link RealNacosRouteSourceTest}).
 * "Someone else" publishing is the {@link NacosServerHandle}. Every test uses fresh dataIds and
 * namespaces (a random suffix), so runs against a shared server do not collide; the cases that stop
 * the server run only where {@link #supportsOutage()} holds.
 */
abstract class NacosRouteSourceContractTest {

  private static final String NS = "public";
  private static final String GROUP = "GANGWAY_TEST";
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String ROUTES =
      "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: a}\n";

  NacosServerHandle server;
  String id;
  private NacosRouteSource source;
  private final Recorder recorder = new Recorder();

  /** Opens the server under test; called before each test and closed after it. */
  abstract NacosServerHandle openServer() throws Exception;

  /** Whether tests may stop and restart the server (only the double; a real server is shared). */
  boolean supportsOutage() {
    return server.supportsOutage();
  }

  @BeforeAll
  static void logs() {
    System.setProperty("JM.LOG.PATH", "target/nacos-logs");
    System.setProperty("JM.SNAPSHOT.PATH", "target/nacos-snapshot");
  }

  @BeforeEach
  void openServerUnderTest() throws Exception {
    server = openServer();
    id = UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void closeSourceAndServer() throws Exception {
    if (source != null) {
      source.close();
    }
    server.close();
  }

  @Test
  void simple_initialLoadAndPush_publishesEveryChangeWithItsMd5() throws Exception {
    String routes = dataId("routes");
    String absent = dataId("absent");
    server.publishConfig(NS, GROUP, routes, ROUTES);
    source =
        new NacosRouteSource(simple(Duration.ofSeconds(30), Duration.ofSeconds(3), routes, absent));
    source.start(recorder);
    assertThat(recorder.snapshots).hasSize(1);
    RouteDocument doc = recorder.last().documents().get(0);
    assertThat(doc.source().toString()).isEqualTo("nacos:public/" + GROUP + "/" + routes);
    assertThat(doc.version())
        .isEqualTo(server.configMd5(NS, GROUP, routes))
        .isEqualTo(NacosRouteSource.md5(ROUTES));
    assertThat(source.status())
        .containsEntry("state", "connected")
        .containsEntry("dataId public/" + GROUP + "/" + routes, doc.version());

    long t0 = System.nanoTime();
    server.publishConfig(NS, GROUP, routes, ROUTES + "# edited\n");
    await(() -> recorder.last().documents().get(0).content().endsWith("# edited\n"));
    System.out.printf(
        "[latency] %s: nacos publish -> route source snapshot: %d ms%n",
        getClass().getSimpleName(), (System.nanoTime() - t0) / 1_000_000);

    server.publishConfig(NS, GROUP, absent, ROUTES.replace("name: a", "name: b"));
    await(() -> recorder.last().documents().size() == 2);
    server.removeConfig(NS, GROUP, absent);
    await(() -> recorder.last().documents().size() == 1);
    assertThat(recorder.last().documents().get(0).source().location()).endsWith("/" + routes);
    assertThat(recorder.errors).isEmpty();
  }

  @Test
  void simple_documentAboveTheClientsDefaultMessageSize_isDelivered() throws Exception {
    String routes = dataId("big");
    server.publishConfig(NS, GROUP, routes, ROUTES);
    source = new NacosRouteSource(simple(Duration.ofSeconds(30), Duration.ofSeconds(10), routes));
    source.start(recorder);
    // 12 MiB: above nacos-client's default 10 MiB gRPC message limit, which used to drop the
    // client's connection on every try and never deliver the document.
    StringBuilder big = new StringBuilder(ROUTES).append("spec:\n  rules:\n");
    while (big.length() < 12 * 1024 * 1024) {
      big.append("    - host: filler-").append(big.length()).append(".example.com\n");
    }
    try {
      server.publishConfig(NS, GROUP, routes, big.toString());
    } catch (RuntimeException e) {
      assumeTrue(false, () -> "the server refused a 12 MiB publish: " + e);
    }
    await(() -> recorder.last().documents().get(0).content().length() == big.length());
    assertThat(recorder.last().documents().get(0).version())
        .isEqualTo(NacosRouteSource.md5(big.toString()));
    assertThat(source.status()).containsEntry("state", "connected");
    assertThat(recorder.errors).isEmpty();
  }

  @Test
  void higress_indexAndObjects_areFollowedAndEncryptedSecretsDecrypted() throws Exception {
    // The layout fixes the index dataIds (ingresses.__names__ ...), so isolation comes from a fresh
    // namespace.
    String ns = "gangway-higress-" + id;
    String at = ns + "/higress-system/";
    byte[] key = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    server.publishConfig(ns, "higress-system", "ingresses.foo", ROUTES);
    server.publishConfig(
        ns, "DEFAULT_GROUP", "ingresses.__names__", "higress-system/ingresses.foo\n");
    server.publishConfig(ns, "DEFAULT_GROUP", "mcpbridges.__names__", "EMPTY");
    server.publishConfig(ns, "higress-system", "secrets.tls", encrypt("kind: Secret\n", key));
    server.publishConfig(ns, "DEFAULT_GROUP", "secrets.__names__", "higress-system/secrets.tls\n");
    source =
        new NacosRouteSource(
            new NacosSourceSettings(
                server.serverAddr(),
                ns,
                "higress",
                "",
                List.of(),
                username(),
                password(),
                null,
                null,
                key,
                Duration.ofSeconds(30),
                Duration.ofSeconds(3)));
    source.start(recorder);
    assertThat(contents())
        .containsEntry(at + "ingresses.foo", ROUTES)
        .containsEntry(at + "secrets.tls", "kind: Secret\n")
        .hasSize(2);

    server.publishConfig(
        ns, "higress-system", "ingresses.bar", ROUTES.replace("name: a", "name: bar"));
    server.publishConfig(
        ns,
        "DEFAULT_GROUP",
        "ingresses.__names__",
        "higress-system/ingresses.foo\nhigress-system/ingresses.bar\n");
    await(() -> contents().containsKey(at + "ingresses.bar"));

    server.publishConfig(ns, "higress-system", "ingresses.foo", ROUTES + "# v2\n");
    await(() -> contents().get(at + "ingresses.foo").endsWith("# v2\n"));

    server.publishConfig(
        ns, "DEFAULT_GROUP", "ingresses.__names__", "higress-system/ingresses.bar\n");
    await(() -> !contents().containsKey(at + "ingresses.foo"));
    assertThat(recorder.errors).isEmpty();
  }

  @Test
  void nacosDownAtStart_publishesNothing_thenTheFirstCompleteRead() throws Exception {
    assumeOutage();
    String routes = dataId("routes");
    server.publishConfig(NS, GROUP, routes, ROUTES);
    server.stop();
    source = new NacosRouteSource(simple(Duration.ofMillis(500), Duration.ofMillis(500), routes));
    source.start(recorder);
    assertThat(recorder.snapshots)
        .as("nothing, not an empty snapshot, while Nacos is down")
        .isEmpty();
    server.restart();
    await(() -> !recorder.snapshots.isEmpty());
    assertThat(recorder.last().documents()).hasSize(1);
  }

  @Test
  void outage_neverPublishesAnEmptyOrPartialSet_andRecoveryResyncs() throws Exception {
    assumeOutage();
    String routes = dataId("routes");
    server.publishConfig(NS, GROUP, routes, ROUTES);
    source = new NacosRouteSource(simple(Duration.ofMillis(500), Duration.ofMillis(500), routes));
    source.start(recorder);
    int before = recorder.snapshots.size();
    server.stop();
    await(() -> !recorder.errors.isEmpty());
    Thread.sleep(1500); // several resync periods while down
    assertThat(recorder.snapshots).as("no snapshot during the outage").hasSize(before);
    assertThat(recorder.errors).as("the outage is reported once").hasSize(1);
    server.restart();
    server.publishConfig(NS, GROUP, routes, ROUTES + "# after\n");
    await(() -> recorder.last().documents().get(0).content().endsWith("# after\n"));
  }

  private void assumeOutage() {
    assumeTrue(
        supportsOutage(),
        () ->
            "stops and restarts the server: runs only against the Nacos double, not "
                + getClass().getSimpleName()
                + " ("
                + server.serverAddr()
                + ")");
  }

  private String dataId(String purpose) {
    return "gangway-" + purpose + "-" + id + ".yaml";
  }

  private NacosSourceSettings simple(Duration resync, Duration timeout, String... dataIds) {
    return new NacosSourceSettings(
        server.serverAddr(),
        NS,
        "simple",
        GROUP,
        List.of(dataIds),
        username(),
        password(),
        null,
        null,
        null,
        resync,
        timeout);
  }

  private String username() {
    return server.credentials().getProperty("username");
  }

  private String password() {
    return server.credentials().getProperty("password");
  }

  private Map<String, String> contents() {
    return recorder.last().documents().stream()
        .collect(Collectors.toMap(d -> d.source().location(), RouteDocument::content));
  }

  private static String encrypt(String plain, byte[] key) throws Exception {
    Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
    c.init(
        Cipher.ENCRYPT_MODE,
        new SecretKeySpec(key, "AES"),
        new IvParameterSpec(java.util.Arrays.copyOf(key, 16)));
    return "enc|"
        + Base64.getUrlEncoder().encodeToString(c.doFinal(plain.getBytes(StandardCharsets.UTF_8)));
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        // not there yet
      }
      assertThat(System.nanoTime()).as("timed out after %s", WAIT).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private static final class Recorder implements RouteListener {
    final List<RouteSnapshot> snapshots = new CopyOnWriteArrayList<>();
    final List<Throwable> errors = new CopyOnWriteArrayList<>();

    @Override
    public void onRoutes(RouteSnapshot snapshot) {
      snapshots.add(snapshot);
    }

    @Override
    public void onError(Throwable cause) {
      errors.add(cause);
    }

    RouteSnapshot last() {
      return new ArrayList<>(snapshots).get(snapshots.size() - 1);
    }
  }
}
