package io.gangway.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.gangway.server.pipeline.DocumentStatus;
import io.gangway.server.pipeline.Pipeline;
import io.gangway.server.pipeline.Status;
import io.gangway.xds.XdsPrinter;
import io.gangway.xds.XdsResources;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.IntSupplier;

/**
 * {@code AdminServer} answers operators and the supervisor:
 *
 * <ul>
 *   <li>{@code GET /ready}: 200 once the first config is published (xDS may be served), else 503;
 *   <li>{@code GET /status}: JSON with the live versions per document, diagnostics, registries,
 *       xDS;
 *   <li>{@code GET /config_dump?type=listeners|routes|clusters|endpoints}: the served resources,
 *       YAML.
 * </ul>
 *
 * <p>It binds to loopback unless configured otherwise, and never exposes secrets: SDS is not dumped
 * (listeners name certificates only), and status shows certificate counts and diagnostics, never
 * PEM.
 */
public final class AdminServer implements AutoCloseable {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final HttpServer server;
  private final Pipeline pipeline;
  private final IntSupplier xdsStreams;
  private final String source;
  private final java.util.function.Supplier<Map<String, String>> sourceStatus;
  private final Instant started = Instant.now();
  private @org.jspecify.annotations.Nullable EnvoyConnectionWatch envoyWatch;

  /** Binds (throws when the port is in use) but serves only after {@link #start()}. */
  public AdminServer(
      InetSocketAddress address,
      Pipeline pipeline,
      IntSupplier xdsStreams,
      String source,
      java.util.function.Supplier<Map<String, String>> sourceStatus)
      throws IOException {
    this(address, pipeline, xdsStreams, source, sourceStatus, null);
  }

  /**
   * Like the other constructor; with a {@code token}, every request except {@code /healthz} must
   * carry {@code Authorization: Bearer <token>} (401 otherwise), for an admin API bound beyond
   * loopback.
   */
  public AdminServer(
      InetSocketAddress address,
      Pipeline pipeline,
      IntSupplier xdsStreams,
      String source,
      java.util.function.Supplier<Map<String, String>> sourceStatus,
      @org.jspecify.annotations.Nullable String token)
      throws IOException {
    this.pipeline = pipeline;
    this.xdsStreams = xdsStreams;
    this.source = source;
    this.sourceStatus = sourceStatus;
    this.server = HttpServer.create(address, 16);
    server.setExecutor(
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "gangway-admin");
              t.setDaemon(true);
              return t;
            }));
    com.sun.net.httpserver.Filter auth = new BearerToken(token);
    server
        .createContext(
            "/ready",
            ex ->
                reply(
                    ex,
                    pipeline.isInitialized() ? 200 : 503,
                    pipeline.isInitialized() ? "ready\n" : "starting\n",
                    "text/plain"))
        .getFilters()
        .add(auth);
    server.createContext("/healthz", ex -> reply(ex, 200, "ok\n", "text/plain"));
    server
        .createContext(
            "/status", ex -> reply(ex, 200, JSON.writeValueAsString(status()), "application/json"))
        .getFilters()
        .add(auth);
    server.createContext("/config_dump", this::configDump).getFilters().add(auth);
  }

  /** Starts serving. */
  public void start() {
    server.start();
  }

  /**
   * Starts watching for a connected Envoy: after {@code bound} without one, {@code /status} reports
   * {@code ready: false} with the reason, and a warning is logged.
   */
  public void watchEnvoy(Duration bound, String xdsAddress) {
    EnvoyConnectionWatch w = new EnvoyConnectionWatch(xdsStreams, bound, xdsAddress);
    w.start();
    envoyWatch = w;
  }

  /** Returns the bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    EnvoyConnectionWatch w = envoyWatch;
    if (w != null) {
      w.close();
    }
    server.stop(0);
  }

  private Map<String, Object> status() {
    Status s = pipeline.status();
    Map<String, Object> out = new LinkedHashMap<>();
    EnvoyConnectionWatch w = envoyWatch;
    out.put("ready", pipeline.isInitialized() && (w == null || w.ok()));
    if (w != null) {
      out.put("envoy", w.status());
    }
    out.put("startedAt", started.toString());
    out.put("appliedAt", s.appliedAt() == null ? null : s.appliedAt().toString());
    out.put("routeSource", source);
    out.put("routeSourceStatus", sourceStatus.get());
    List<Map<String, Object>> docs = new ArrayList<>();
    for (DocumentStatus d : s.documents()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("source", d.source().toString());
      m.put("state", d.state());
      m.put("latestVersion", d.latestVersion());
      m.put("liveVersion", d.liveVersion());
      docs.add(m);
    }
    out.put("documents", docs);
    out.put("diagnostics", s.diagnostics());
    out.put("registries", s.registries());
    out.put("counts", s.counts());
    out.put("xds", Map.of("versions", s.xdsVersions(), "streams", xdsStreams.getAsInt()));
    return out;
  }

  private void configDump(HttpExchange ex) throws IOException {
    XdsResources r = pipeline.resources();
    if (r == null) {
      reply(ex, 503, "not ready\n", "text/plain");
      return;
    }
    String query = ex.getRequestURI().getQuery() == null ? "" : ex.getRequestURI().getQuery();
    String type = query.startsWith("type=") ? query.substring(5) : "routes";
    String body =
        switch (type) {
          case "listeners" -> XdsPrinter.yaml(r.listeners());
          case "clusters" -> XdsPrinter.yaml(r.clusters());
          case "endpoints" -> XdsPrinter.yaml(r.endpoints());
          case "routes" -> XdsPrinter.yaml(r.routes());
          default -> null;
        };
    if (body == null) {
      reply(
          ex,
          400,
          "type: "
              + type
              + " (expected: listeners, routes, clusters or endpoints; secrets are never"
              + " dumped)\n",
          "text/plain");
    } else {
      reply(ex, 200, body, "application/yaml");
    }
  }

  private static void reply(HttpExchange ex, int status, String body, String type)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }
}
