package io.gangway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gangway.ingress.IngressTranslator;
import io.gangway.model.GatewayModel;
import io.gangway.spi.route.RouteDocument;
import io.gangway.spi.route.SourceRef;
import io.javalin.Javalin;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

/** {@code AdminFixtures} builds a model from route YAML and serves admin resources in-process. */
public final class AdminFixtures {

  /** Envoy's {@code /clusters?format=json} shape: A healthy, B failing its active health check. */
  public static final String ENVOY_JSON =
      """
      {"cluster_statuses": [
        {"name": "xds_cluster", "host_statuses": [
          {"address": {"socket_address": {"address": "127.0.0.1", "port_value": 15010}},
           "health_status": {"eds_health_status": "HEALTHY"}, "weight": 1}]},
        {"name": "outbound|80||pool.static", "added_via_api": true, "host_statuses": [
          {"address": {"socket_address": {"address": "127.0.0.1", "port_value": 7001}},
           "health_status": {"eds_health_status": "HEALTHY"}, "weight": 1,
           "success_rate": {"value": 99.5}},
          {"address": {"socket_address": {"address": "127.0.0.1", "port_value": 7002}},
           "health_status": {"failed_active_health_check": true, "failed_outlier_check": true,
             "eds_health_status": "HEALTHY"}, "weight": 1}]}]}
      """;

  private AdminFixtures() {}

  /** Returns the route YAML: a static registry {@code pool} over {@code domain} and one Ingress. */
  public static String routes(String domain) {
    // The line numbers below are asserted: keep the layout.
    return """
        apiVersion: networking.higress.io/v1
        kind: McpBridge
        metadata: {name: default, namespace: higress-system}
        spec:
          registries:
            - {type: static, name: pool, domain: "%s", port: 80}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: web
          namespace: default
          annotations:
            higress.io/match-method: GET
        spec:
          rules:
            - host: pool.test
              http:
                paths:
                  - {path: /api, pathType: Prefix, backend: {service: {name: pool.static, port: {number: 80}}}}
                  - path: /exact
                    pathType: Exact
                    backend: {service: {name: pool.static, port: {number: 80}}}
            - host: other.test
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: missing.static, port: {number: 80}}}}
        """
        .formatted(domain);
  }

  /** Returns the model of {@link #routes}, read from {@code routes.yaml}. */
  public static GatewayModel model(String domain) {
    return new IngressTranslator(null)
        .translateDocuments(
            List.of(new RouteDocument(SourceRef.file("routes.yaml"), routes(domain), "v1")))
        .model();
  }

  /** Starts a Javalin on a free loopback port serving {@code resources}. */
  public static Javalin serve(AdminResource... resources) {
    return Javalin.create(
            cfg -> {
              for (AdminResource r : resources) {
                r.addTo(cfg.routes);
              }
            })
        .start("127.0.0.1", 0);
  }

  /** An HTTP answer. */
  public record Answer(int status, String body) {
    /** Parses the body. */
    public JsonNode json() throws IOException {
      return new ObjectMapper().readTree(body);
    }
  }

  /** Sends {@code GET path} to {@code app}. */
  public static Answer get(Javalin app, String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body());
  }
}
