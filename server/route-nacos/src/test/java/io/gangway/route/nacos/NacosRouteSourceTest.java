package io.gangway.route.nacos;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.spi.route.RouteDocument;
import io.gangway.spi.route.RouteListener;
import io.gangway.spi.route.RouteSnapshot;
import io.gangway.testing.nacos.NacosDouble;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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

/** The Nacos route source against the Nacos double, through the real nacos-client over gRPC. */
class NacosRouteSourceTest {

  private static final String NS = "public";
  private static final String ROUTES = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: a}\n";

  private NacosDouble nacos;
  private NacosRouteSource source;
  private final Recorder recorder = new Recorder();

  @BeforeAll
  static void logs() {
    System.setProperty("JM.LOG.PATH", "target/nacos-logs");
    System.setProperty("JM.SNAPSHOT.PATH", "target/nacos-snapshot");
  }

  @BeforeEach
  void startNacos() {
    nacos = NacosDouble.start();
  }

  @AfterEach
  void stop() {
    if (source != null) {
      source.close();
    }
    nacos.close();
  }

  @Test
  void simple_initialLoadAndPush_publishesEveryChangeWithItsMd5() throws Exception {
    nacos.publishConfig(NS, "DEFAULT_GROUP", "routes.yaml", ROUTES);
    source = new NacosRouteSource(simple("routes.yaml", "absent.yaml"));
    source.start(recorder);
    assertThat(recorder.snapshots).hasSize(1);
    RouteDocument doc = recorder.last().documents().get(0);
    assertThat(doc.source().toString()).isEqualTo("nacos:public/DEFAULT_GROUP/routes.yaml");
    assertThat(doc.version()).isEqualTo(nacos.configMd5(NS, "DEFAULT_GROUP", "routes.yaml"));

    long t0 = System.nanoTime();
    nacos.publishConfig(NS, "DEFAULT_GROUP", "routes.yaml", ROUTES + "# edited\n");
    await(() -> recorder.last().documents().get(0).content().endsWith("# edited\n"));
    System.out.printf("nacos publish -> route source snapshot: %d ms%n", (System.nanoTime() - t0) / 1_000_000);

    nacos.publishConfig(NS, "DEFAULT_GROUP", "absent.yaml", ROUTES.replace("name: a", "name: b"));
    await(() -> recorder.last().documents().size() == 2);
    nacos.removeConfig(NS, "DEFAULT_GROUP", "absent.yaml");
    await(() -> recorder.last().documents().size() == 1);
    assertThat(recorder.errors).isEmpty();
  }

  @Test
  void higress_indexAndObjects_areFollowedAndEncryptedSecretsDecrypted() throws Exception {
    byte[] key = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    nacos.publishConfig("higress-system", "higress-system", "ingresses.foo", ROUTES);
    nacos.publishConfig("higress-system", "DEFAULT_GROUP", "ingresses.__names__", "higress-system/ingresses.foo\n");
    nacos.publishConfig("higress-system", "DEFAULT_GROUP", "mcpbridges.__names__", "EMPTY");
    nacos.publishConfig("higress-system", "higress-system", "secrets.tls", encrypt("kind: Secret\n", key));
    nacos.publishConfig("higress-system", "DEFAULT_GROUP", "secrets.__names__", "higress-system/secrets.tls\n");
    source = new NacosRouteSource(new NacosSourceSettings(nacos.serverAddr(), "higress-system", "higress", "", List.of(),
        null, null, null, null, key, Duration.ofSeconds(30), Duration.ofSeconds(3)));
    source.start(recorder);
    assertThat(contents()).containsEntry("higress-system/higress-system/ingresses.foo", ROUTES)
        .containsEntry("higress-system/higress-system/secrets.tls", "kind: Secret\n").hasSize(2);

    nacos.publishConfig("higress-system", "higress-system", "ingresses.bar", ROUTES.replace("name: a", "name: bar"));
    nacos.publishConfig("higress-system", "DEFAULT_GROUP", "ingresses.__names__",
        "higress-system/ingresses.foo\nhigress-system/ingresses.bar\n");
    await(() -> contents().containsKey("higress-system/higress-system/ingresses.bar"));

    nacos.publishConfig("higress-system", "higress-system", "ingresses.foo", ROUTES + "# v2\n");
    await(() -> contents().get("higress-system/higress-system/ingresses.foo").endsWith("# v2\n"));

    nacos.publishConfig("higress-system", "DEFAULT_GROUP", "ingresses.__names__", "higress-system/ingresses.bar\n");
    await(() -> !contents().containsKey("higress-system/higress-system/ingresses.foo"));
  }

  @Test
  void nacosDownAtStart_publishesNothing_thenTheFirstCompleteRead() throws Exception {
    nacos.publishConfig(NS, "DEFAULT_GROUP", "routes.yaml", ROUTES);
    nacos.stop();
    source = new NacosRouteSource(new NacosSourceSettings(nacos.serverAddr(), NS, "simple", "DEFAULT_GROUP",
        List.of("routes.yaml"), null, null, null, null, null, Duration.ofMillis(500), Duration.ofMillis(500)));
    source.start(recorder);
    assertThat(recorder.snapshots).as("nothing, not an empty snapshot, while Nacos is down").isEmpty();
    nacos.restart();
    await(() -> !recorder.snapshots.isEmpty());
    assertThat(recorder.last().documents()).hasSize(1);
  }

  @Test
  void outage_neverPublishesAnEmptyOrPartialSet_andRecoveryResyncs() throws Exception {
    nacos.publishConfig(NS, "DEFAULT_GROUP", "routes.yaml", ROUTES);
    source = new NacosRouteSource(new NacosSourceSettings(nacos.serverAddr(), NS, "simple", "DEFAULT_GROUP",
        List.of("routes.yaml"), null, null, null, null, null, Duration.ofMillis(500), Duration.ofMillis(500)));
    source.start(recorder);
    int before = recorder.snapshots.size();
    nacos.stop();
    await(() -> !recorder.errors.isEmpty());
    Thread.sleep(1500); // several resync periods while down
    assertThat(recorder.snapshots).as("no snapshot during the outage").hasSize(before);
    assertThat(recorder.errors).as("the outage is reported once").hasSize(1);
    nacos.restart();
    nacos.publishConfig(NS, "DEFAULT_GROUP", "routes.yaml", ROUTES + "# after\n");
    await(() -> recorder.last().documents().get(0).content().endsWith("# after\n"));
  }

  private NacosSourceSettings simple(String... dataIds) {
    return new NacosSourceSettings(nacos.serverAddr(), NS, "simple", "DEFAULT_GROUP", List.of(dataIds), null, null,
        null, null, null, Duration.ofSeconds(30), Duration.ofSeconds(3));
  }

  private Map<String, String> contents() {
    return recorder.last().documents().stream()
        .collect(Collectors.toMap(d -> d.source().location(), RouteDocument::content));
  }

  private static String encrypt(String plain, byte[] key) throws Exception {
    Cipher c = Cipher.getInstance("AES/CBC/PKCS5Padding");
    c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(java.util.Arrays.copyOf(key, 16)));
    return "enc|" + Base64.getUrlEncoder().encodeToString(c.doFinal(plain.getBytes(StandardCharsets.UTF_8)));
  }

  private static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
      } catch (RuntimeException e) {
        // not there yet
      }
      assertThat(System.nanoTime()).as("timed out").isLessThan(deadline);
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
