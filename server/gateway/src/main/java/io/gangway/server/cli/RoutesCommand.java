package io.gangway.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gangway routes}: lists the live routes ({@code GET /routes}) with their match,
 * destinations and source line. Exit status: 0 listed, 1 the admin API answered an error (not
 * ready), 2 usage, 3 admin unreachable or 401.
 */
@Command(
    name = "routes",
    mixinStandardHelpOptions = true,
    description = "List a running gateway's routes (its admin GET /routes).",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:listed",
      "1:the admin API answered an error (no configuration yet)",
      "2:usage error",
      "3:the admin API is unreachable or refused the token (401)"
    })
public final class RoutesCommand implements Callable<Integer> {

  @Mixin AdminOptions admin = new AdminOptions();

  @Option(names = "--host", description = "only this host's routes")
  @Nullable String host;

  @Option(
      names = {"-q", "--query"},
      description = "only routes whose host, name, match, cluster or source contains this text")
  @Nullable String query;

  @Override
  public Integer call() {
    List<String> params = new ArrayList<>();
    if (host != null) {
      params.add("host=" + AdminOptions.segment(host));
    }
    if (query != null) {
      params.add("q=" + AdminOptions.segment(query));
    }
    AdminOptions.Answer a;
    try {
      a = admin.get("/routes" + (params.isEmpty() ? "" : "?" + String.join("&", params)));
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
      System.out.print(table(a.json()));
    } catch (java.io.IOException e) {
      System.err.println("gangway: error: /routes is not JSON: " + e.getMessage());
      return AdminOptions.NOT_OK;
    }
    return AdminOptions.OK;
  }

  static Table table(JsonNode body) {
    Table t = new Table("HOST", "MATCH", "DESTINATIONS", "SOURCE", "POLICIES");
    for (JsonNode r : body.path("routes")) {
      String to;
      if ("direct".equals(r.path("action").asText())) {
        to = "direct " + r.path("status").asText();
      } else {
        List<String> ds = new ArrayList<>();
        for (JsonNode d : r.path("destinations")) {
          ds.add(
              d.path("cluster").asText()
                  + (r.path("destinations").size() > 1
                      ? " " + d.path("weight").asInt() + "%"
                      : ""));
        }
        to = String.join(", ", ds);
      }
      String source = r.path("source").asText();
      if (r.path("line").isInt()) {
        source += ":" + r.path("line").asInt();
      }
      List<String> policies = new ArrayList<>();
      r.path("policies").forEach(p -> policies.add(p.asText()));
      t.row(
          r.path("host").asText(),
          r.path("match").path("summary").asText(),
          to,
          source,
          String.join("; ", policies));
    }
    return t;
  }
}
