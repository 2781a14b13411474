package io.gangway.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code gangway endpoints <service-or-cluster>}: lists a cluster's endpoints ({@code GET
 * /clusters/{name}}) with Envoy's health view of each; a service host names every cluster of that
 * service. Exit status: 0 listed, 1 no such cluster or service (or not ready), 2 usage, 3 admin
 * unreachable or 401.
 */
@Command(
    name = "endpoints",
    mixinStandardHelpOptions = true,
    description =
        "List the endpoints of a cluster or service with Envoy's health view (GET /clusters/NAME).",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:listed",
      "1:no such cluster or service, or no configuration yet",
      "2:usage error",
      "3:the admin API is unreachable or refused the token (401)"
    })
public final class EndpointsCommand implements Callable<Integer> {

  @Mixin AdminOptions admin = new AdminOptions();

  @Parameters(
      paramLabel = "SERVICE-OR-CLUSTER",
      description = "a cluster name (outbound|80||echo.static) or a service host (echo.static)")
  String name = "";

  @Override
  public Integer call() {
    try {
      return run();
    } catch (AdminOptions.AdminException e) {
      return AdminOptions.fail(e);
    } catch (IOException e) {
      System.err.println("gangway: error: the admin API's answer is not JSON: " + e.getMessage());
      return AdminOptions.NOT_OK;
    }
  }

  private int run() throws AdminOptions.AdminException, IOException {
    List<String> clusters = new ArrayList<>();
    AdminOptions.Answer exact = admin.get("/clusters/" + AdminOptions.segment(name));
    if (exact.status() == 200) {
      return print(List.of(exact));
    }
    if (exact.status() != 404) {
      return AdminOptions.answered(exact);
    }
    AdminOptions.Answer all = admin.get("/clusters");
    if (all.status() != 200) {
      return AdminOptions.answered(all);
    }
    for (JsonNode c : all.json().path("clusters")) {
      if (c.path("serviceHost").asText().equals(name)) {
        clusters.add(c.path("name").asText());
      }
    }
    if (clusters.isEmpty()) {
      System.err.println(
          "gangway: error: no cluster or service "
              + name
              + ". Fix: see gangway clusters for the names.");
      return AdminOptions.NOT_OK;
    }
    List<AdminOptions.Answer> answers = new ArrayList<>();
    for (String c : clusters) {
      AdminOptions.Answer a = admin.get("/clusters/" + AdminOptions.segment(c));
      if (a.status() != 200) {
        return AdminOptions.answered(a);
      }
      answers.add(a);
    }
    return print(answers);
  }

  private int print(List<AdminOptions.Answer> answers) throws IOException {
    if (admin.json()) {
      if (answers.size() == 1) {
        System.out.print(answers.get(0).body());
      } else {
        List<JsonNode> all = new ArrayList<>();
        for (AdminOptions.Answer a : answers) {
          all.add(a.json());
        }
        System.out.println(
            AdminOptions.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all));
      }
      return AdminOptions.OK;
    }
    boolean first = true;
    for (AdminOptions.Answer a : answers) {
      JsonNode body = a.json();
      System.out.print((first ? "" : "\n") + table(body));
      ClustersCommand.envoyNote(body);
      first = false;
    }
    return AdminOptions.OK;
  }

  static String table(JsonNode body) {
    Table t =
        new Table(
            "ADDRESS", "PORT", "WEIGHT", "REGISTRY", "HEALTH", "FAILURES", "SUCCESS", "METADATA");
    for (JsonNode e : body.path("endpoints")) {
      JsonNode envoy = e.path("envoy");
      String health;
      List<String> failures = new ArrayList<>();
      if (envoy.isObject()) {
        health = envoy.path("healthy").asBoolean() ? "healthy" : "UNHEALTHY";
        envoy.path("failures").forEach(f -> failures.add(f.asText()));
        if (!envoy.path("edsHealthStatus").asText("HEALTHY").equals("HEALTHY")) {
          failures.add("eds " + envoy.path("edsHealthStatus").asText());
        }
      } else {
        health = e.path("registry").isNull() ? "?" : "not in Envoy";
      }
      List<String> metadata = new ArrayList<>();
      for (Map.Entry<String, JsonNode> m : e.path("metadata").properties()) {
        metadata.add(m.getKey() + "=" + m.getValue().asText());
      }
      t.row(
          e.path("address").asText(),
          e.path("port").asText(),
          AdminOptions.text(envoy.isObject() ? envoy.path("weight") : e.path("weight")),
          AdminOptions.text(e.path("registry")),
          health,
          String.join(",", failures),
          envoy.path("successRate").isNumber() ? envoy.path("successRate").asText() : null,
          String.join(",", metadata));
    }
    return body.path("name").asText()
        + " (service "
        + body.path("serviceHost").asText()
        + ")\n"
        + t;
  }
}
