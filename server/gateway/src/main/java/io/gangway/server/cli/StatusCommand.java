package io.gangway.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code gangway status}: asks a running gateway's {@code GET /status} and prints whether it is
 * ready, whether Envoy is connected, its documents and registries. Exit status: 0 ready with Envoy
 * connected, 1 answered but not ready or no Envoy connected, 2 usage, 3 admin unreachable or 401.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = "Show a running gateway's status (its admin GET /status).",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:ready and an Envoy is connected",
      "1:the admin API answered, but the gateway is not ready or no Envoy is connected",
      "2:usage error",
      "3:the admin API is unreachable or refused the token (401)"
    })
public final class StatusCommand implements Callable<Integer> {

  @Mixin AdminOptions admin = new AdminOptions();

  @Override
  public Integer call() {
    AdminOptions.Answer a;
    try {
      a = admin.get("/status");
    } catch (AdminOptions.AdminException e) {
      return AdminOptions.fail(e);
    }
    if (a.status() != 200) {
      return AdminOptions.answered(a);
    }
    JsonNode s;
    try {
      s = a.json();
    } catch (java.io.IOException e) {
      System.err.println("gangway: error: /status is not JSON: " + e.getMessage());
      return AdminOptions.NOT_OK;
    }
    boolean ready = s.path("ready").asBoolean(false);
    JsonNode envoy = s.path("envoy");
    int streams = s.path("xds").path("streams").asInt(0);
    boolean connected =
        envoy.has("envoyConnected") ? envoy.path("envoyConnected").asBoolean(false) : streams > 0;
    if (admin.json()) {
      System.out.print(a.body().endsWith("\n") ? a.body() : a.body() + "\n");
    } else {
      print(s, ready, connected, streams);
    }
    return ready && connected ? AdminOptions.OK : AdminOptions.NOT_OK;
  }

  private static void print(JsonNode s, boolean ready, boolean connected, int streams) {
    Table t = new Table("FIELD", "VALUE");
    t.row("ready", ready);
    t.row("envoy", (connected ? "connected" : "NOT connected") + " (" + streams + " xDS streams)");
    t.row("started", AdminOptions.text(s.path("startedAt")));
    t.row("applied", AdminOptions.text(s.path("appliedAt")));
    t.row("route source", AdminOptions.text(s.path("routeSource")));
    StringBuilder counts = new StringBuilder();
    for (Map.Entry<String, JsonNode> e : s.path("counts").properties()) {
      counts
          .append(counts.length() == 0 ? "" : ", ")
          .append(e.getKey())
          .append(' ')
          .append(e.getValue());
    }
    t.row("counts", counts);
    t.row("diagnostics", s.path("diagnostics").size());
    System.out.print(t);
    if (s.path("documents").size() > 0) {
      Table docs = new Table("DOCUMENT", "STATE", "LIVE", "LATEST");
      for (JsonNode d : s.path("documents")) {
        docs.row(
            AdminOptions.text(d.path("source")),
            AdminOptions.text(d.path("state")),
            AdminOptions.text(d.path("liveVersion")),
            AdminOptions.text(d.path("latestVersion")));
      }
      System.out.print("\n" + docs);
    }
    if (s.path("registries").size() > 0) {
      Table regs = new Table("REGISTRY", "STATE", "SERVICES", "ENDPOINTS", "FROM");
      for (Map.Entry<String, JsonNode> e : s.path("registries").properties()) {
        JsonNode r = e.getValue();
        regs.row(
            e.getKey(),
            AdminOptions.text(r.path("state")),
            AdminOptions.text(r.path("services")),
            AdminOptions.text(r.path("endpoints")),
            AdminOptions.text(r.path("endpointsFrom")));
      }
      System.out.print("\n" + regs);
    }
    for (JsonNode d : s.path("diagnostics")) {
      System.out.println(d.asText());
    }
  }
}
