package io.gangway.registry.eureka;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gangway.registry.eureka.EurekaDouble.Instance;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pins the double to the JSON and REST behaviour of a Eureka server, with a plain HTTP client. */
class EurekaDoubleTest {

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ObjectMapper json = new ObjectMapper();
  private EurekaDouble server;

  @BeforeEach
  void start() throws Exception {
    server = EurekaDouble.start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path, String accept) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Accept", accept)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void apps_hasTheCodecShape() throws Exception {
    server.register(Instance.up("orders", "i-1", "10.0.0.1", 8080, Map.of("protocol", "http")));
    server.register(
        new Instance(
            "orders", "i-2", "h2", "10.0.0.2", "DOWN", 8080, false, 8443, true, Map.of(), 1L));
    JsonNode apps =
        json.readTree(get("/eureka/apps", "application/json").body()).get("applications");

    assertThat(apps.get("versions__delta").asText()).isEqualTo("1");
    assertThat(apps.get("apps__hashcode").asText()).isEqualTo("DOWN_1_UP_1_");
    JsonNode app = apps.get("application").get(0);
    assertThat(app.get("name").asText()).isEqualTo("ORDERS");
    JsonNode up = app.get("instance").get(0);
    assertThat(up.get("status").asText()).isEqualTo("UP");
    assertThat(up.get("port").get("$").isInt()).isTrue();
    assertThat(up.get("port").get("@enabled").isTextual()).isTrue();
    assertThat(up.get("port").get("@enabled").asText()).isEqualTo("true");
    assertThat(up.get("metadata").get("protocol").asText()).isEqualTo("http");
    assertThat(up.get("dataCenterInfo").get("@class").asText())
        .isEqualTo("com.netflix.appinfo.InstanceInfo$DefaultDataCenterInfo");
    JsonNode down = app.get("instance").get(1);
    assertThat(down.get("securePort").get("@enabled").asText()).isEqualTo("true");
    assertThat(down.get("metadata").get("@class").asText())
        .isEqualTo("java.util.Collections$EmptyMap");
  }

  @Test
  void oneApp_isWrappedInApplication_andUnknownIs404() throws Exception {
    server.register(Instance.up("orders", "i-1", "10.0.0.1", 8080, Map.of()));
    assertThat(
            json.readTree(get("/eureka/apps/ORDERS", "application/json").body())
                .get("application")
                .get("name")
                .asText())
        .isEqualTo("ORDERS");
    assertThat(get("/eureka/apps/NOPE", "application/json").statusCode()).isEqualTo(404);
  }

  @Test
  void restWrites_registerUpperCasesTheApp_statusAndCancel() throws Exception {
    EurekaWriter w = new EurekaWriter(new EurekaTarget("127.0.0.1", server.port()));
    w.registerUp("shop", "s-1", "10.0.0.5", 9000, Map.of());
    assertThat(
            json.readTree(get("/eureka/apps/SHOP", "application/json").body())
                .at("/application/instance/0/ipAddr")
                .asText())
        .isEqualTo("10.0.0.5");
    w.setStatus("SHOP", "s-1", "OUT_OF_SERVICE");
    assertThat(
            json.readTree(get("/eureka/apps/SHOP", "application/json").body())
                .at("/application/instance/0/status")
                .asText())
        .isEqualTo("OUT_OF_SERVICE");
    w.deregister("SHOP", "s-1");
    assertThat(get("/eureka/apps/SHOP", "application/json").statusCode()).isEqualTo(404);
    assertThat(
            json.readTree(get("/eureka/apps", "application/json").body())
                .at("/applications/application")
                .size())
        .isZero();
  }

  @Test
  void withoutAccept_answersXml_asEurekaDoes() throws Exception {
    server.register(Instance.up("orders", "i-1", "10.0.0.1", 8080, Map.of()));
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/eureka/apps"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/xml");
    assertThat(r.body())
        .startsWith("<applications>")
        .contains("<name>ORDERS</name>")
        .contains("<port enabled=\"true\">8080</port>")
        .contains("<ipAddr>10.0.0.1</ipAddr>");
  }

  @Test
  void responseCache_servesTheOldAnswerUntilThePeriodEnds() throws Exception {
    try (EurekaDouble cached = EurekaDouble.start(Duration.ofMinutes(5), Duration.ZERO)) {
      String url = "http://127.0.0.1:" + cached.port() + "/eureka/apps/ORDERS";
      cached.register(Instance.up("orders", "i-1", "10.0.0.1", 8080, Map.of()));
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create(url))
                          .header("Accept", "application/json")
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body())
          .contains("10.0.0.1")
          .doesNotContain("10.0.0.2");
      cached.register(Instance.up("orders", "i-2", "10.0.0.2", 8080, Map.of()));
      // Within the cache period the first answer is served again.
      assertThat(
              http.send(
                      HttpRequest.newBuilder(URI.create(url))
                          .header("Accept", "application/json")
                          .build(),
                      HttpResponse.BodyHandlers.ofString())
                  .body())
          .doesNotContain("10.0.0.2");
    }
  }

  @Test
  void leaseExpiry_evictsInstancesWithoutHeartbeats_only() throws Exception {
    try (EurekaDouble leased = EurekaDouble.start(Duration.ZERO, Duration.ofMillis(300))) {
      EurekaWriter w = new EurekaWriter(new EurekaTarget("127.0.0.1", leased.port()));
      leased.register(Instance.up("orders", "silent", "10.0.0.1", 8080, Map.of()));
      leased.register(Instance.up("orders", "beating", "10.0.0.2", 8080, Map.of()));
      String url = "http://127.0.0.1:" + leased.port() + "/eureka/apps/ORDERS";
      String body = "";
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (System.nanoTime() < deadline) {
        w.heartbeat("ORDERS", "beating");
        body =
            http.send(
                    HttpRequest.newBuilder(URI.create(url))
                        .header("Accept", "application/json")
                        .build(),
                    HttpResponse.BodyHandlers.ofString())
                .body();
        if (!body.contains("10.0.0.1")) {
          break;
        }
        Thread.sleep(50);
      }
      assertThat(body).doesNotContain("10.0.0.1").contains("10.0.0.2");
    }
  }
}
