package io.gangway.testing.nacos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.alibaba.nacos.api.PropertyKeyConst;
import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.exception.NacosException;
import com.alibaba.nacos.api.naming.NamingService;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A double with auth: the client logs in over HTTP and sends its token with every request. */
class NacosDoubleAuthTest {

  private static final String GROUP = NacosContractTest.GROUP;

  private NacosDouble nacos;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    nacos = NacosDouble.builder().auth("nacos", "s3cret").start();
  }

  @AfterEach
  void stop() {
    nacos.close();
  }

  @Test
  void getConfig_rightCredentials_returnsContent() throws Exception {
    nacos.publishConfig("", GROUP, "a.yaml", "secret: 1");
    try (NacosClients clients = new NacosClients(nacos.serverAddr(), credentials("s3cret"))) {
      assertThat(clients.config("").getConfig("a.yaml", GROUP, 3000)).isEqualTo("secret: 1");
    }
    assertThat(nacos.unhandledRequests()).isEmpty();
  }

  @Test
  void getConfig_wrongPassword_failsWithNoRight() throws Exception {
    nacos.publishConfig("", GROUP, "a.yaml", "secret: 1");
    try (NacosClients clients = new NacosClients(nacos.serverAddr(), credentials("wrong"))) {
      ConfigService client = clients.config("");

      assertThatThrownBy(() -> client.getConfig("a.yaml", GROUP, 3000))
          .isInstanceOfSatisfying(
              NacosException.class, e -> assertThat(e.getErrCode()).isEqualTo(403));
    }
  }

  @Test
  void registerInstance_withoutCredentials_failsWithNoRight() throws Exception {
    try (NacosClients clients = new NacosClients(nacos.serverAddr(), new Properties())) {
      NamingService client = clients.naming("");

      assertThatThrownBy(
              () ->
                  client.registerInstance("svc", GROUP, NacosContractTest.instance("10.3.0.1", 80)))
          .isInstanceOfSatisfying(
              NacosException.class, e -> assertThat(e.getErrCode()).isEqualTo(403));
    }
    assertThat(nacos.instances("", GROUP, "svc")).isEmpty();
  }

  @Test
  void httpLogin_v3Path_returnsTokenThatOpensTheV1Api() throws Exception {
    HttpResponse<String> login =
        post("/nacos/v3/auth/user/login?username=nacos", "password=s3cret");
    String token = json(login).get("accessToken").asText();

    HttpResponse<String> without = get("/nacos/v1/cs/configs?dataId=a.yaml&group=" + GROUP);
    HttpResponse<String> with =
        get("/nacos/v1/cs/configs?dataId=a.yaml&group=" + GROUP + "&accessToken=" + token);

    assertThat(login.statusCode()).isEqualTo(200);
    assertThat(json(login).get("tokenTtl").asLong()).isEqualTo(18_000);
    assertThat(without.statusCode()).isEqualTo(403);
    assertThat(with.statusCode()).isEqualTo(404); // allowed in, and the config does not exist
  }

  @Test
  void httpLogin_wrongPassword_is500_onV1AndV3() throws Exception {
    assertThat(post("/nacos/v1/auth/users/login", "username=nacos&password=nope").statusCode())
        .isEqualTo(500);
    assertThat(post("/nacos/v3/auth/user/login", "username=nacos&password=nope").statusCode())
        .isEqualTo(500);
  }

  @Test
  void httpLogin_unknownUser_is403() throws Exception {
    assertThat(post("/nacos/v3/auth/user/login", "username=nobody&password=s3cret").statusCode())
        .isEqualTo(403);
  }

  private Properties credentials(String password) {
    Properties properties = new Properties();
    properties.setProperty(PropertyKeyConst.USERNAME, "nacos");
    properties.setProperty(PropertyKeyConst.PASSWORD, password);
    return properties;
  }

  private HttpResponse<String> post(String path, String form) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://" + nacos.serverAddr() + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://" + nacos.serverAddr() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
  }
}
