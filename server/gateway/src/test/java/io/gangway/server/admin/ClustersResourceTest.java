package io.gangway.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gangway.model.GatewayModel;
import io.gangway.server.registry.RegistryManager;
import io.javalin.Javalin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClustersResourceTest {

  private final List<AutoCloseable> closing = new ArrayList<>();
  private final GatewayModel model = AdminFixtures.model("127.0.0.1:7001,127.0.0.1:7002");
  private final RegistryManager registries =
      new RegistryManager(RegistryManager.loadProviders(), () -> {});

  ClustersResourceTest() throws InterruptedException {
    registries.reconcile(model.registries());
    assertThat(registries.awaitReady(Duration.ofSeconds(5))).isTrue();
    closing.add(registries);
  }

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private Javalin fakeEnvoy(String body, long delayMillis) {
    Javalin envoy =
        Javalin.create(
                cfg ->
                    cfg.routes.get(
                        "/clusters",
                        ctx -> {
                          Thread.sleep(delayMillis);
                          ctx.contentType("application/json").result(body);
                        }))
            .start("127.0.0.1", 0);
    closing.add(envoy::stop);
    return envoy;
  }

  private Javalin admin(EnvoyAdminClient envoy) {
    Javalin app = AdminFixtures.serve(new ClustersResource(() -> model, registries, envoy));
    closing.add(app::stop);
    return app;
  }

  @Test
  void clusters_showServiceRegistryEndpointCountAndHowManyEnvoyCountsHealthy() throws Exception {
    Javalin envoy = fakeEnvoy(AdminFixtures.ENVOY_JSON, 0);
    JsonNode body =
        AdminFixtures.get(admin(new EnvoyAdminClient("127.0.0.1", envoy.port())), "/clusters")
            .json();
    assertThat(body.path("envoy").asText()).isEqualTo("ok");
    JsonNode pool = body.path("clusters").get(0);
    assertThat(pool.path("name").asText()).isEqualTo("outbound|80||pool.static");
    assertThat(pool.path("serviceHost").asText()).isEqualTo("pool.static");
    assertThat(pool.path("registry").asText()).isEqualTo(model.registries().get(0).key());
    assertThat(pool.path("endpoints").asInt()).isEqualTo(2);
    assertThat(pool.path("healthy").asInt()).isEqualTo(1);
  }

  @Test
  void oneCluster_joinsEachEndpointWithEnvoysHealthFlags() throws Exception {
    Javalin envoy = fakeEnvoy(AdminFixtures.ENVOY_JSON, 0);
    AdminFixtures.Answer a =
        AdminFixtures.get(
            admin(new EnvoyAdminClient("127.0.0.1", envoy.port())),
            "/clusters/outbound%7C80%7C%7Cpool.static");
    assertThat(a.status()).isEqualTo(200);
    JsonNode eps = a.json().path("endpoints");
    assertThat(eps.size()).isEqualTo(2);
    assertThat(eps.get(0).path("port").asInt()).isEqualTo(7001);
    assertThat(eps.get(0).path("registry").asText()).isEqualTo(model.registries().get(0).key());
    assertThat(eps.get(0).path("envoy").path("healthy").asBoolean()).isTrue();
    assertThat(eps.get(0).path("envoy").path("successRate").asDouble()).isEqualTo(99.5);
    JsonNode b = eps.get(1).path("envoy");
    assertThat(b.path("healthy").asBoolean()).isFalse();
    assertThat(b.path("ejected").asBoolean()).isTrue();
    assertThat(b.path("failures").toString())
        .isEqualTo("[\"failed_active_health_check\",\"failed_outlier_check\"]");
    assertThat(b.path("edsHealthStatus").asText()).isEqualTo("HEALTHY");
  }

  @Test
  void envoyNotAnswering_servesTheControlPlaneViewWithTheReason() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    AdminFixtures.Answer a =
        AdminFixtures.get(
            admin(new EnvoyAdminClient("127.0.0.1", closedPort)),
            "/clusters/outbound%7C80%7C%7Cpool.static");
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().path("envoy").asText()).startsWith("unavailable: ");
    assertThat(a.json().path("endpoints").size()).isEqualTo(2);
    assertThat(a.json().path("endpoints").get(0).path("envoy").isNull()).isTrue();
  }

  @Test
  void aSlowEnvoy_isGivenUpOnAfterOneSecond() throws Exception {
    Javalin envoy = fakeEnvoy(AdminFixtures.ENVOY_JSON, 3000);
    Javalin app = admin(new EnvoyAdminClient("127.0.0.1", envoy.port(), Duration.ofSeconds(5)));
    long t0 = System.nanoTime();
    AdminFixtures.Answer a = AdminFixtures.get(app, "/clusters");
    long millis = (System.nanoTime() - t0) / 1_000_000;
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().path("envoy").asText()).startsWith("unavailable: ");
    assertThat(millis).isLessThan(2500);
  }

  @Test
  void anUnknownCluster_isA404WithJson() throws Exception {
    Javalin envoy = fakeEnvoy(AdminFixtures.ENVOY_JSON, 0);
    AdminFixtures.Answer a =
        AdminFixtures.get(admin(new EnvoyAdminClient("127.0.0.1", envoy.port())), "/clusters/nope");
    assertThat(a.status()).isEqualTo(404);
    assertThat(a.json().path("error").asText()).contains("no cluster nope");
  }
}
