package io.gangway.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code gangway clusters}: lists the live clusters ({@code GET /clusters}) with their service,
 * registry, endpoint count and how many Envoy counts healthy. Exit status: 0 listed, 1 the admin
 * API answered an error (not ready), 2 usage, 3 admin unreachable or 401.
 */
@Command(
    name = "clusters",
    mixinStandardHelpOptions = true,
    description = "List a running gateway's clusters with Envoy's health view (GET /clusters).",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:listed",
      "1:the admin API answered an error (no configuration yet)",
      "2:usage error",
      "3:the admin API is unreachable or refused the token (401)"
    })
public final class ClustersCommand implements Callable<Integer> {

  @Mixin AdminOptions admin = new AdminOptions();

  @Override
  public Integer call() {
    AdminOptions.Answer a;
    try {
      a = admin.get("/clusters");
    } catch (AdminOptions.AdminException e) {
      return AdminOptions.fail(e);
    }
    if (a.status() != 200) {
      return AdminOptions.answered(a);
    }
    if (admin.json()) {
      System.out.print(a.body());
      return AdminOptions.OK;
    }
    try {
      JsonNode body = a.json();
      Table t = new Table("CLUSTER", "SERVICE", "REGISTRY", "ENDPOINTS", "HEALTHY");
      for (JsonNode c : body.path("clusters")) {
        t.row(
            c.path("name").asText(),
            c.path("serviceHost").asText(),
            AdminOptions.text(c.path("registry")),
            c.path("endpoints").asText(),
            c.path("healthy").isNull() ? "?" : c.path("healthy").asText());
      }
      System.out.print(t);
      envoyNote(body);
    } catch (java.io.IOException e) {
      System.err.println("gangway: error: /clusters is not JSON: " + e.getMessage());
      return AdminOptions.NOT_OK;
    }
    return AdminOptions.OK;
  }

  /** Says on stderr when Envoy's view is missing (its admin did not answer). */
  static void envoyNote(JsonNode body) {
    String envoy = body.path("envoy").asText("ok");
    if (!envoy.equals("ok")) {
      System.err.println("gangway: warning: Envoy's view is missing: envoy " + envoy);
    }
  }
}
