package io.gangway.testing.nacos;

import static org.assertj.core.api.Assertions.assertThat;

import com.alibaba.nacos.api.naming.NamingService;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The v1 Open API on the main port, as a 1.x-style HTTP client uses it. */
class NacosDoubleHttpTest {

  private static final String GROUP = NacosContractTest.GROUP;
  private static final Duration WAIT = Duration.ofSeconds(10);

  private NacosDouble nacos;
  private NacosClients clients;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    nacos = NacosDouble.builder().longPollingMinTimeout(Duration.ofMillis(300)).start();
    clients = new NacosClients(nacos.serverAddr(), new Properties());
  }

  @AfterEach
  void stop() {
    clients.close();
    nacos.close();
  }

  @Test
  void configs_postThenGet_returnsContentAndMd5() throws Exception {
    HttpResponse<String> posted =
        send(
            "POST",
            "/nacos/v1/cs/configs",
            Map.of("dataId", "a.yaml", "group", GROUP, "content", "a: 1", "type", "yaml"));
    HttpResponse<String> got =
        send("GET", "/nacos/v1/cs/configs?dataId=a.yaml&group=" + GROUP, Map.of());

    assertThat(posted.statusCode()).isEqualTo(200);
    assertThat(posted.body()).isEqualTo("true");
    assertThat(got.statusCode()).isEqualTo(200);
    assertThat(got.body()).isEqualTo("a: 1");
    assertThat(got.headers().firstValue("Content-MD5")).hasValue(NacosContractTest.md5("a: 1"));
    assertThat(got.headers().firstValue("Config-Type")).hasValue("yaml");
  }

  @Test
  void configs_casMd5Header_isHonoured_andAFailedCasIs500False() throws Exception {
    nacos.publishConfig("", GROUP, "a.yaml", "v1");

    HttpResponse<String> stale = publishWithCasHeader("v2", NacosContractTest.md5("other"));
    HttpResponse<String> current = publishWithCasHeader("v3", NacosContractTest.md5("v1"));

    assertThat(stale.statusCode()).isEqualTo(500);
    assertThat(stale.body()).isEqualTo("false");
    assertThat(current.statusCode()).isEqualTo(200);
    assertThat(nacos.getConfig("", GROUP, "a.yaml")).isEqualTo("v3");
  }

  @Test
  void configs_casMd5FormField_isIgnored_andThePublishOverwrites() throws Exception {
    nacos.publishConfig("", GROUP, "a.yaml", "v1");

    HttpResponse<String> posted =
        send(
            "POST",
            "/nacos/v1/cs/configs",
            Map.of(
                "dataId",
                "a.yaml",
                "group",
                GROUP,
                "content",
                "v2",
                "casMd5",
                NacosContractTest.md5("other")));

    assertThat(posted.statusCode()).isEqualTo(200);
    assertThat(nacos.getConfig("", GROUP, "a.yaml")).isEqualTo("v2");
  }

  @Test
  void configs_lastModified_isAnHttpDate() throws Exception {
    nacos.publishConfig("", GROUP, "a.yaml", "v1");

    HttpResponse<String> got =
        send("GET", "/nacos/v1/cs/configs?dataId=a.yaml&group=" + GROUP, Map.of());

    String lastModified = got.headers().firstValue("Last-Modified").orElseThrow();
    assertThat(
            java.time.ZonedDateTime.parse(
                    lastModified, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME)
                .toInstant())
        .isBetween(
            java.time.Instant.now().minusSeconds(60), java.time.Instant.now().plusSeconds(1));
    assertThat(lastModified)
        .matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
  }

  @Test
  void configs_readAfterWriteDelay_hidesAFreshPublishFromV1Reads() throws Exception {
    try (NacosDouble lagging =
        NacosDouble.builder().v1ReadAfterWriteDelay(Duration.ofMillis(800)).start()) {
      String path = "/nacos/v1/cs/configs?dataId=a.yaml&group=" + GROUP;
      lagging.publishConfig("", GROUP, "a.yaml", "v1");
      HttpResponse<String> early =
          http.send(
              HttpRequest.newBuilder(URI.create("http://" + lagging.serverAddr() + path)).build(),
              HttpResponse.BodyHandlers.ofString());
      Thread.sleep(1000);
      HttpResponse<String> late =
          http.send(
              HttpRequest.newBuilder(URI.create("http://" + lagging.serverAddr() + path)).build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(early.statusCode()).isEqualTo(404);
      assertThat(late.statusCode()).isEqualTo(200);
      assertThat(late.body()).isEqualTo("v1");
    }
  }

  @Test
  void configs_getMissing_is404() throws Exception {
    HttpResponse<String> got =
        send("GET", "/nacos/v1/cs/configs?dataId=none.yaml&group=" + GROUP, Map.of());

    assertThat(got.statusCode()).isEqualTo(404);
    assertThat(got.body()).isEqualTo("config data not exist\n");
  }

  @Test
  void listener_staleMd5_answersAtOnce() throws Exception {
    nacos.publishConfig("", GROUP, "a.yaml", "v1");

    HttpResponse<String> answer = listen("a.yaml", "stale-md5", "ns-x");

    assertThat(decode(answer.body())).isEqualTo("a.yaml\u0002" + GROUP + "\u0002ns-x\u0001");
  }

  @Test
  void listener_currentMd5_heldUntilPublishThenAnswersTheKey() throws Exception {
    nacos.publishConfig("", GROUP, "a.yaml", "v1");
    CompletableFuture<HttpResponse<String>> pending =
        http.sendAsync(
            listenRequest("a.yaml", NacosContractTest.md5("v1"), "", 30_000),
            HttpResponse.BodyHandlers.ofString());
    Await.until(WAIT, "the poll to be held", () -> nacos.heldLongPolls() == 1);

    long start = System.nanoTime();
    nacos.publishConfig("", GROUP, "a.yaml", "v2");
    HttpResponse<String> answer = pending.get(10, TimeUnit.SECONDS);

    System.out.printf(
        "[latency] v1 long-polling answer after publish: %d ms%n",
        NacosContractTest.millisSince(start));
    assertThat(decode(answer.body())).isEqualTo("a.yaml\u0002" + GROUP + "\u0001");
  }

  @Test
  void listener_nothingChanges_emptyAnswerAfterTimeout() throws Exception {
    nacos.publishConfig("", GROUP, "a.yaml", "v1");

    HttpResponse<String> answer =
        http.send(
            listenRequest("a.yaml", NacosContractTest.md5("v1"), "", 300),
            HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(answer.body()).isEmpty();
  }

  @Test
  void instance_registeredOverHttp_isPushedToGrpcSubscriberAndListed() throws Exception {
    NamingService client = clients.naming("");
    BlockingQueue<Set<String>> events = NacosContractTest.subscribe(client, "svc");

    HttpResponse<String> registered =
        send(
            "POST",
            "/nacos/v1/ns/instance",
            Map.of(
                "serviceName",
                "svc",
                "groupName",
                GROUP,
                "ip",
                "10.2.0.1",
                "port",
                "80",
                "metadata",
                "{\"zone\":\"b\"}"));
    Await.next(events, WAIT, "a push with 10.2.0.1", ips -> ips.contains("10.2.0.1"));
    HttpResponse<String> list =
        send("GET", "/nacos/v1/ns/instance/list?serviceName=" + GROUP + "%40%40svc", Map.of());
    HttpResponse<String> beat =
        send(
            "PUT",
            "/nacos/v1/ns/instance/beat?serviceName=svc&groupName="
                + GROUP
                + "&ip=10.2.0.1&port=80",
            Map.of());

    assertThat(registered.body()).isEqualTo("ok");
    JsonNode info = Json.parse(list.body().getBytes(StandardCharsets.UTF_8));
    assertThat(info.get("name").asText()).isEqualTo(GROUP + "@@svc");
    assertThat(info.get("hosts")).hasSize(1);
    assertThat(info.get("hosts").get(0).get("metadata").get("zone").asText()).isEqualTo("b");
    assertThat(Json.parse(beat.body().getBytes(StandardCharsets.UTF_8)).get("code").asInt())
        .isEqualTo(10200);
  }

  @Test
  void serviceList_threeServices_pages() throws Exception {
    for (String service : new String[] {"s1", "s2", "s3"}) {
      nacos.registerInstance("", GROUP, service, "10.2.1.1", 80, 1.0, true, Map.of());
    }

    HttpResponse<String> page2 =
        send("GET", "/nacos/v1/ns/service/list?pageNo=2&pageSize=2&groupName=" + GROUP, Map.of());

    JsonNode body = Json.parse(page2.body().getBytes(StandardCharsets.UTF_8));
    assertThat(body.get("count").asInt()).isEqualTo(3);
    assertThat(body.get("doms")).hasSize(1);
  }

  @Test
  void unknownRoute_is404AndRecorded() throws Exception {
    HttpResponse<String> answer = send("GET", "/nacos/v2/ns/instance/list", Map.of());

    assertThat(answer.statusCode()).isEqualTo(404);
    assertThat(nacos.unhandledRequests()).containsExactly("HTTP GET /nacos/v2/ns/instance/list");
  }

  private HttpRequest listenRequest(String dataId, String md5, String tenant, long timeoutMs) {
    String line =
        dataId
            + "\u0002"
            + GROUP
            + "\u0002"
            + md5
            + (tenant.isEmpty() ? "" : "\u0002" + tenant)
            + "\u0001";
    return HttpRequest.newBuilder(uri("/nacos/v1/cs/configs/listener"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .header("Long-Pulling-Timeout", Long.toString(timeoutMs))
        .POST(HttpRequest.BodyPublishers.ofString(form(Map.of("Listening-Configs", line))))
        .build();
  }

  private HttpResponse<String> listen(String dataId, String md5, String tenant) throws Exception {
    return http.send(
        listenRequest(dataId, md5, tenant, 30_000), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(String method, String path, Map<String, String> form)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .method(method, HttpRequest.BodyPublishers.ofString(form(form)))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> publishWithCasHeader(String content, String casMd5)
      throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(uri("/nacos/v1/cs/configs"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("casMd5", casMd5)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    form(Map.of("dataId", "a.yaml", "group", GROUP, "content", content))))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://" + nacos.serverAddr() + path);
  }

  private static String form(Map<String, String> fields) {
    StringBuilder form = new StringBuilder();
    fields.forEach(
        (k, v) -> {
          if (form.length() > 0) {
            form.append('&');
          }
          form.append(URLEncoder.encode(k, StandardCharsets.UTF_8))
              .append('=')
              .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
    return form.toString();
  }

  private static String decode(String body) {
    return URLDecoder.decode(body, StandardCharsets.UTF_8);
  }
}
