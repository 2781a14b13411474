package io.gangway.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code gangway status}: asks a running gateway's {@code GET /status} and {@code GET /readyz} and
 * prints whether it is ready, each connected Envoy with what it runs per xDS type (the ACKed
 * version, or the NACK with Envoy's message and what stays in force), its documents and registries.
 * Exit status: 0 ready and every connected Envoy in sync; 1 answered, but not ready, no Envoy
 * connected or a NACK in force; 2 usage; 3 admin unreachable or 401.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description =
        "Show a running gateway's status: readiness, each Envoy's ACK/NACK per xDS type, documents"
            + " and registries (its admin GET /status and GET /readyz).",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:ready: an Envoy is connected and every connected Envoy ACKed what it was sent",
      "1:the admin API answered, but the gateway is not ready, no Envoy is connected, or an Envoy"
          + " rejected (NACKed) a push",
      "2:usage error",
      "3:the admin API is unreachable or refused the token (401)"
    })
public final class StatusCommand implements Callable<Integer> {

  /** The xDS types in the order Envoy applies them; others follow alphabetically. */
  private static final List<String> TYPE_ORDER =
      List.of("clusters", "endpoints", "listeners", "routes", "secrets");

  @Mixin AdminOptions admin = new AdminOptions();

  /**
   * What {@code /readyz} said: {@code null} when this gateway has no {@code /readyz} (an older
   * JVM), else whether it answered 200 and its reasons.
   */
  private record Readyz(boolean ready, List<String> reasons) {}

  @Override
  public Integer call() {
    AdminOptions.Answer a;
    Readyz readyz;
    try {
      a = admin.get("/status");
      if (a.status() != 200) {
        return AdminOptions.answered(a);
      }
      readyz = readyz(admin.get("/readyz"));
    } catch (AdminOptions.AdminException e) {
      return AdminOptions.fail(e);
    }
    JsonNode s;
    try {
      s = a.json();
    } catch (java.io.IOException e) {
      System.err.println("gangway: error: /status is not JSON: " + e.getMessage());
      return AdminOptions.NOT_OK;
    }
    Verdict v = verdict(s, readyz);
    if (admin.json()) {
      System.out.print(a.body().endsWith("\n") ? a.body() : a.body() + "\n");
    } else {
      print(s, v, readyz);
    }
    return v.ok() ? AdminOptions.OK : AdminOptions.NOT_OK;
  }

  private static @Nullable Readyz readyz(AdminOptions.Answer r) {
    if (r.status() == 404) {
      return null;
    }
    List<String> reasons = new ArrayList<>();
    try {
      for (JsonNode reason : r.json().path("reasons")) {
        reasons.add(reason.asText());
      }
    } catch (java.io.IOException e) {
      reasons.add("/readyz answered " + r.status() + ": " + r.body().strip());
    }
    if (r.status() != 200 && reasons.isEmpty()) {
      reasons.add("/readyz answered " + r.status());
    }
    return new Readyz(r.status() == 200, reasons);
  }

  /**
   * The outcome: {@code ok} when ready, an Envoy is connected and every Envoy is in sync; {@code
   * connected} and {@code streams} for the {@code envoy} line.
   */
  private record Verdict(boolean ok, boolean ready, boolean connected, int streams, boolean nack) {}

  private static Verdict verdict(JsonNode s, @Nullable Readyz readyz) {
    boolean ready = s.path("ready").asBoolean(false);
    JsonNode envoy = s.path("envoy");
    int streams = s.path("xds").path("streams").asInt(0);
    JsonNode envoys = s.path("envoys");
    boolean connected;
    if (envoys.isArray()) {
      connected = envoys.size() > 0;
    } else if (envoy.has("envoyConnected")) {
      connected = envoy.path("envoyConnected").asBoolean(false);
    } else {
      connected = streams > 0;
    }
    boolean nack = false;
    boolean pending = false;
    for (JsonNode e : envoys) {
      for (JsonNode t : e.path("types")) {
        nack |= t.hasNonNull("nack");
        pending |= t.path("pending").asInt(0) > 0;
      }
    }
    boolean ok = ready && connected && !nack && !pending && (readyz == null || readyz.ready());
    return new Verdict(ok, ready, connected, streams, nack);
  }

  private static void print(JsonNode s, Verdict v, @Nullable Readyz readyz) {
    Table t = new Table("FIELD", "VALUE");
    t.row("ready", v.ok());
    t.row(
        "envoy",
        (v.connected() ? "connected" : "NOT connected")
            + " ("
            + v.streams()
            + " xDS streams"
            + (v.nack() ? ", NACK in force" : "")
            + ")");
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
    List<String> nacks = printEnvoys(s.path("envoys"));
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
    if (!nacks.isEmpty()) {
      System.out.println();
      nacks.forEach(System.out::println);
    }
    List<String> why = new ArrayList<>();
    if (readyz != null) {
      // A NACK's reason repeats Envoy's message, already printed above with what stays in force.
      readyz.reasons().stream().filter(r -> !(v.nack() && r.contains("(NACK)"))).forEach(why::add);
    }
    String problem = s.path("envoy").path("problem").asText("");
    if (!problem.isEmpty()) {
      why.add(problem);
    }
    if (!v.connected()
        && why.stream().noneMatch(r -> r.contains("Envoy") && r.contains("connected"))) {
      why.add("no Envoy is connected to xDS");
    }
    if (!v.ok() && why.isEmpty() && !v.nack()) {
      why.add("/status says ready: " + v.ready());
    }
    if (!why.isEmpty()) {
      System.out.println();
      why.forEach(r -> System.out.println("not ready: " + r));
    }
  }

  /**
   * Prints one row per connected Envoy, one column per xDS type; returns one line per open NACK
   * (Envoy's message, and what stays in force), printed after the other tables.
   */
  private static List<String> printEnvoys(JsonNode envoys) {
    List<String> nacks = new ArrayList<>();
    if (!envoys.isArray() || envoys.isEmpty()) {
      return nacks;
    }
    Set<String> types = new LinkedHashSet<>();
    Set<String> seen = new java.util.TreeSet<>();
    for (JsonNode e : envoys) {
      e.path("types").properties().forEach(p -> seen.add(p.getKey()));
    }
    TYPE_ORDER.stream().filter(seen::contains).forEach(types::add);
    types.addAll(seen);
    List<String> header = new ArrayList<>(List.of("ENVOY", "STREAM", "CONNECTED"));
    types.forEach(type -> header.add(type.toUpperCase(java.util.Locale.ROOT)));
    Table t = new Table(header.toArray(String[]::new));
    for (JsonNode e : envoys) {
      String who =
          e.hasNonNull("node") ? e.path("node").asText() : "stream " + e.path("stream").asText();
      List<Object> row =
          new ArrayList<>(
              List.of(
                  e.hasNonNull("node") ? e.path("node").asText() : "?",
                  e.path("stream").asText(),
                  seconds(e.path("connectedAt"))));
      for (String type : types) {
        JsonNode ts = e.path("types").path(type);
        row.add(ts.isMissingNode() ? "-" : cell(ts));
        JsonNode nack = ts.path("nack");
        if (!nack.isMissingNode() && !nack.isNull()) {
          nacks.add(
              "NACK: Envoy "
                  + who
                  + " rejected "
                  + type
                  + " at "
                  + seconds(nack.path("at"))
                  + ": "
                  + nack.path("message").asText("")
                  + " In force: "
                  + inForce(ts.path("acked"))
                  + (ts.hasNonNull("lastAckAt")
                      ? " (ACKed " + seconds(ts.path("lastAckAt")) + ")"
                      : "")
                  + ".");
        }
      }
      t.row(row.toArray());
    }
    System.out.print("\n" + t);
    return nacks;
  }

  /** An ISO-8601 instant to the second ({@code 2026-01-01T00:00:02Z}), else the text as it is. */
  private static String seconds(JsonNode instant) {
    String text = instant.asText("?");
    try {
      return java.time.Instant.parse(text)
          .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
          .toString();
    } catch (java.time.format.DateTimeParseException e) {
      return text;
    }
  }

  /** One type's state: {@code ACK <version>}, {@code NACK (in force: …)} or pending. */
  private static String cell(JsonNode ts) {
    String acked = versions(ts.path("acked"));
    if (ts.hasNonNull("nack")) {
      return "NACK (in force: " + (acked == null ? "nothing" : acked) + ")";
    }
    int pending = ts.path("pending").asInt(0);
    if (pending > 0) {
      return "PENDING " + pending + " (ACK " + (acked == null ? "none" : acked) + ")";
    }
    return acked == null ? "ACK (none)" : "ACK " + acked;
  }

  /** The ACKed version when one resource (or one version) is ACKed, else the resource count. */
  private static @Nullable String versions(JsonNode acked) {
    if (acked.isEmpty()) {
      return null;
    }
    Set<String> distinct = new LinkedHashSet<>();
    acked.forEach(v -> distinct.add(v.asText()));
    return distinct.size() == 1 ? distinct.iterator().next() : acked.size() + " resources";
  }

  /** What stays in force after a NACK: the ACKed names and versions (at most 5 named). */
  private static String inForce(JsonNode acked) {
    if (acked.isEmpty()) {
      return "nothing of this type was ACKed before";
    }
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : acked.properties()) {
      if (names.size() == 5) {
        names.add("… " + (acked.size() - 5) + " more");
        break;
      }
      names.add(e.getKey() + " " + e.getValue().asText());
    }
    return String.join(", ", names);
  }
}
