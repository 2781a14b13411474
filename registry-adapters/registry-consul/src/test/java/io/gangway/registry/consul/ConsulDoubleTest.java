package io.gangway.registry.consul;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pins the double to Consul's documented HTTP behaviour, with a plain HTTP client (no consul-api).
 */
class ConsulDoubleTest {

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private ConsulDouble consul;

  @BeforeEach
  void start() throws Exception {
    consul = ConsulDouble.start("dc1", "dc2");
    consul
        .dc("dc1")
        .register(
            "n1",
            "10.0.0.1",
            "web-1",
            "web",
            "",
            80,
            List.of("Primary"),
            Map.of("protocol", "http"));
    consul.dc("dc1").registerCheck("n1", "service:web-1", "c", "passing", "web-1");
  }

  @AfterEach
  void stop() {
    consul.close();
  }

  private HttpResponse<String> get(String pathAndQuery, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + consul.port() + pathAndQuery));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static long index(HttpResponse<?> r) {
    return Long.parseLong(r.headers().firstValue("X-Consul-Index").orElseThrow());
  }

  @Test
  void catalogServices_listsTagsAndTheConsulService() throws Exception {
    HttpResponse<String> r = get("/v1/catalog/services");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json.readTree(r.body()))
        .isEqualTo(json.readTree("{\"consul\":[],\"web\":[\"Primary\"]}"));
    assertThat(index(r)).isPositive();
    assertThat(r.headers().firstValue("X-Consul-KnownLeader")).contains("true");
  }

  @Test
  void healthService_hasConsulShape_andPassingFilters() throws Exception {
    consul
        .dc("dc1")
        .register("n2", "10.0.0.2", "web-2", "web", "10.0.0.22", 81, List.of(), Map.of());
    consul.dc("dc1").registerCheck("n2", "service:web-2", "c", "critical", "web-2");
    JsonNode all = json.readTree(get("/v1/health/service/web").body());
    JsonNode passing = json.readTree(get("/v1/health/service/web?passing").body());

    assertThat(all).hasSize(2);
    assertThat(passing).hasSize(1);
    JsonNode row = passing.get(0);
    assertThat(row.path("Node").path("Address").asText()).isEqualTo("10.0.0.1");
    assertThat(row.path("Node").path("Datacenter").asText()).isEqualTo("dc1");
    assertThat(row.path("Service").path("Address").asText()).isEmpty();
    assertThat(row.path("Service").path("Port").asInt()).isEqualTo(80);
    assertThat(row.path("Service").path("Meta").path("protocol").asText()).isEqualTo("http");
    assertThat(row.path("Checks").get(0).path("Status").asText()).isEqualTo("passing");
  }

  @Test
  void blockingQuery_isHeldUntilTheIndexMoves() throws Exception {
    long idx = index(get("/v1/health/service/web?passing"));
    long t0 = System.nanoTime();
    CompletableFuture<HttpResponse<String>> held =
        http.sendAsync(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + consul.port()
                            + "/v1/health/service/web?passing&index="
                            + idx
                            + "&wait=30s"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Thread.sleep(300);
    assertThat(held).isNotDone();

    consul.dc("dc1").register("n3", "10.0.0.3", "web-3", "web", "", 82, List.of(), Map.of());
    HttpResponse<String> r = held.get(5, TimeUnit.SECONDS);
    assertThat(index(r)).isGreaterThan(idx);
    assertThat(json.readTree(r.body())).hasSize(2);
    assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(300L, 5_000L);
  }

  @Test
  void blockingQuery_returnsTheSameIndexWhenTheWaitExpires() throws Exception {
    long idx = index(get("/v1/catalog/services"));
    long t0 = System.nanoTime();
    HttpResponse<String> r = get("/v1/catalog/services?index=" + idx + "&wait=400ms");
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertThat(index(r)).isEqualTo(idx);
    assertThat(ms).isBetween(390L, 400L + 400L / 16 + 300L);
  }

  @Test
  void otherServicesChanges_doNotWakeAHealthQuery() throws Exception {
    long idx = index(get("/v1/health/service/web"));
    consul.dc("dc1").register("n9", "10.0.0.9", "db-1", "db", "", 5432, List.of(), Map.of());
    HttpResponse<String> r = get("/v1/health/service/web?index=" + idx + "&wait=300ms");
    assertThat(index(r)).isEqualTo(idx);
  }

  @Test
  void acl_unknownTokenIs403_anonymousIsFiltered_managementTokenSeesAll() throws Exception {
    consul.enableAcl("mgmt");
    HttpResponse<String> unknown = get("/v1/catalog/services", "X-Consul-Token", "nope");
    HttpResponse<String> anonymous = get("/v1/catalog/services");
    HttpResponse<String> header = get("/v1/health/service/web", "X-Consul-Token", "mgmt");
    HttpResponse<String> bearer = get("/v1/health/service/web", "Authorization", "Bearer mgmt");
    HttpResponse<String> query = get("/v1/health/service/web?token=mgmt");

    assertThat(unknown.statusCode()).isEqualTo(403);
    assertThat(unknown.body()).isEqualTo("ACL not found");
    assertThat(anonymous.statusCode()).isEqualTo(200);
    assertThat(anonymous.body()).isEqualTo("{}");
    // As real Consul: the filtered header is sent for a real token only, never for the anonymous
    // one.
    assertThat(anonymous.headers().firstValue("X-Consul-Results-Filtered-By-ACLs")).isEmpty();
    for (HttpResponse<String> ok : List.of(header, bearer, query)) {
      assertThat(json.readTree(ok.body())).hasSize(1);
    }
  }

  @Test
  void datacenter_selectsTheCatalog_andAnUnknownOneIs500() throws Exception {
    assertThat(json.readTree(get("/v1/catalog/services?dc=dc2").body()))
        .isEqualTo(json.readTree("{\"consul\":[]}"));
    HttpResponse<String> unknown = get("/v1/catalog/services?dc=mars");
    assertThat(unknown.statusCode()).isEqualTo(500);
    assertThat(unknown.body()).isEqualTo("No path to datacenter");
  }

  @Test
  void stop_dropsHeldQueries_andRestartKeepsTheData() throws Exception {
    long idx = index(get("/v1/health/service/web"));
    CompletableFuture<HttpResponse<String>> held =
        http.sendAsync(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + consul.port()
                            + "/v1/health/service/web?index="
                            + idx
                            + "&wait=30s"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Thread.sleep(200);
    consul.stop();
    assertThat(held).failsWithin(5, TimeUnit.SECONDS);
    consul.restart();
    assertThat(json.readTree(get("/v1/health/service/web").body())).hasSize(1);
    assertThat(index(get("/v1/health/service/web"))).isEqualTo(idx);
  }

  @Test
  void goDurations() {
    assertThat(ConsulDouble.duration("30s")).isEqualTo(30_000);
    assertThat(ConsulDouble.duration("1m30s")).isEqualTo(90_000);
    assertThat(ConsulDouble.duration("250ms")).isEqualTo(250);
  }
}
