package io.gangway.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gangway.model.GatewayModel;
import io.javalin.Javalin;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RoutesResourceTest {

  private final AtomicReference<GatewayModel> model = new AtomicReference<>();
  private final Javalin app = AdminFixtures.serve(new RoutesResource(model::get));

  @AfterEach
  void stop() {
    app.stop();
  }

  @Test
  void routes_listEveryRouteWithItsMatchDestinationsPoliciesAndSourceLine() throws Exception {
    model.set(AdminFixtures.model("127.0.0.1:1"));
    AdminFixtures.Answer a = AdminFixtures.get(app, "/routes");
    assertThat(a.status()).isEqualTo(200);
    JsonNode api = find(a.json(), "pool.test", "/api");
    assertThat(api.path("match").path("pathKind").asText()).isEqualTo("prefix");
    assertThat(api.path("match").path("methods").toString()).isEqualTo("[\"GET\"]");
    assertThat(api.path("source").asText()).isEqualTo("routes.yaml");
    assertThat(api.path("line").asInt()).as("the line of the Ingress path").isEqualTo(20);
    JsonNode d = api.path("destinations").get(0);
    assertThat(d.path("cluster").asText()).isEqualTo("outbound|80||pool.static");
    assertThat(d.path("weight").asInt()).isEqualTo(100);
    assertThat(d.path("serviceHost").asText()).isEqualTo("pool.static");
    assertThat(d.path("port").asInt()).isEqualTo(80);
    JsonNode exact = find(a.json(), "pool.test", "/exact");
    assertThat(exact.path("match").path("pathKind").asText()).isEqualTo("exact");
    assertThat(exact.path("line").asInt()).isEqualTo(21);
    JsonNode missing = find(a.json(), "other.test", "/");
    assertThat(missing.path("action").asText()).isEqualTo("direct");
    assertThat(missing.path("status").asInt()).isEqualTo(503);
    assertThat(missing.path("line").asInt()).isEqualTo(27);
  }

  @Test
  void hostAndQueryFilters_keepOnlyTheMatchingRoutes() throws Exception {
    model.set(AdminFixtures.model("127.0.0.1:1"));
    assertThat(paths(AdminFixtures.get(app, "/routes?host=other.test").json()))
        .containsExactly("other.test /");
    assertThat(paths(AdminFixtures.get(app, "/routes?q=EXAC").json()))
        .containsExactly("pool.test /exact");
    assertThat(paths(AdminFixtures.get(app, "/routes?q=outbound%7C80%7C%7Cpool.static").json()))
        .as("evaluation order: exact before prefix")
        .containsExactly("pool.test /exact", "pool.test /api");
    assertThat(AdminFixtures.get(app, "/routes?host=nope.test").json().path("count").asInt())
        .isZero();
  }

  @Test
  void beforeTheFirstConfiguration_routesAnswer503WithAReason() throws Exception {
    AdminFixtures.Answer a = AdminFixtures.get(app, "/routes");
    assertThat(a.status()).isEqualTo(503);
    assertThat(a.json().path("error").asText()).contains("no configuration");
  }

  private static JsonNode find(JsonNode body, String host, String path) {
    for (JsonNode r : body.path("routes")) {
      if (r.path("host").asText().equals(host)
          && r.path("match").path("path").asText().equals(path)) {
        return r;
      }
    }
    throw new AssertionError("no route " + host + " " + path + " in " + body.toPrettyString());
  }

  private static List<String> paths(JsonNode body) {
    List<String> out = new ArrayList<>();
    body.path("routes")
        .forEach(
            r -> out.add(r.path("host").asText() + " " + r.path("match").path("path").asText()));
    return out;
  }
}
