package io.gangway.server.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gangway.server.ads.EnvoyStatus;
import io.gangway.server.pipeline.DocumentStatus;
import io.gangway.server.pipeline.Pipeline;
import io.gangway.server.pipeline.Status;
import io.gangway.xds.XdsPrinter;
import io.gangway.xds.XdsResources;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.util.JavalinException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;
import org.jspecify.annotations.Nullable;

/**
 * {@code AdminServer} answers operators, the CLI and the supervisor, on Javalin (Jetty underneath):
 *
 * <ul>
 *   <li>{@code GET /healthz}: 200 while the JVM serves (never needs the token);
 *   <li>{@code GET /ready}: 200 once the first config is published (xDS may be served), else 503 —
 *       the supervisor's contract;
 *   <li>{@code GET /readyz}: 200 only when the config is published, an Envoy is connected and every
 *       connected Envoy ACKed what it was sent; else 503 with the reasons (JSON);
 *   <li>{@code GET /status}: JSON with the live versions per document, diagnostics, live registry
 *       states, xDS versions and each Envoy's ACK/NACK state per resource type;
 *   <li>{@code GET /config_dump?type=listeners|routes|clusters|endpoints|secrets|all}: the served
 *       resources, YAML (default {@code routes}); private keys are printed as {@code [redacted]};
 *   <li>{@code GET /metrics}: Prometheus text;
 *   <li>the endpoints of each {@link AdminResource} ({@code /routes}, {@code /clusters}).
 * </ul>
 *
 * <p>It binds to loopback unless configured otherwise; with a token, every request except {@code
 * /healthz} must carry {@code Authorization: Bearer <token>} (compared in constant time; 401
 * otherwise). It never exposes private keys: the dumped secrets carry certificates with the key
 * replaced by {@code [redacted]}, and status shows certificate counts and diagnostics, never PEM.
 */
public final class AdminServer implements AutoCloseable {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          // Instants as ISO-8601 strings, as the rest of /status prints them.
          .registerModule(
              new com.fasterxml.jackson.databind.module.SimpleModule()
                  .addSerializer(
                      Instant.class,
                      com.fasterxml.jackson.databind.ser.std.ToStringSerializer.instance))
          .enable(SerializationFeature.INDENT_OUTPUT);

  private final Javalin app;
  private final Pipeline pipeline;
  private final IntSupplier xdsStreams;
  private final Supplier<List<EnvoyStatus>> envoys;
  private final String source;
  private final Supplier<Map<String, String>> sourceStatus;
  private final Instant started = Instant.now();
  private volatile @Nullable EnvoyConnectionWatch envoyWatch;

  /**
   * Binds {@code address} and serves. Throws {@link IOException} when the port is in use.
   *
   * @param envoys what each connected Envoy ACKed and rejected
   * @param metrics the Prometheus text of {@code /metrics}
   * @param token the bearer token every request but {@code /healthz} needs, or null (loopback)
   * @param resources further endpoint groups, behind the same token
   */
  public AdminServer(
      InetSocketAddress address,
      Pipeline pipeline,
      IntSupplier xdsStreams,
      Supplier<List<EnvoyStatus>> envoys,
      String source,
      Supplier<Map<String, String>> sourceStatus,
      Supplier<String> metrics,
      @Nullable String token,
      List<AdminResource> resources)
      throws IOException {
    this.pipeline = pipeline;
    this.xdsStreams = xdsStreams;
    this.envoys = envoys;
    this.source = source;
    this.sourceStatus = sourceStatus;
    byte @Nullable [] expected =
        token == null ? null : ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
    this.app =
        Javalin.create(
            cfg -> {
              configure(cfg, address);
              cfg.routes.before(
                  ctx -> {
                    if (expected == null || ctx.path().equals("/healthz")) {
                      return;
                    }
                    String got = ctx.header("Authorization");
                    if (got == null
                        || !MessageDigest.isEqual(expected, got.getBytes(StandardCharsets.UTF_8))) {
                      ctx.header("WWW-Authenticate", "Bearer");
                      ctx.status(401).contentType("text/plain").result("unauthorized\n");
                      ctx.skipRemainingHandlers();
                    }
                  });
              cfg.routes.get("/healthz", ctx -> text(ctx, 200, "ok\n"));
              cfg.routes.get(
                  "/ready",
                  ctx ->
                      text(
                          ctx,
                          pipeline.isInitialized() ? 200 : 503,
                          pipeline.isInitialized() ? "ready\n" : "starting\n"));
              cfg.routes.get("/readyz", this::readyz);
              cfg.routes.get("/status", ctx -> json(ctx, 200, status()));
              cfg.routes.get("/config_dump", this::configDump);
              cfg.routes.get(
                  "/metrics",
                  ctx ->
                      ctx.status(200)
                          .contentType(io.gangway.server.metrics.GatewayMetrics.contentType())
                          .result(metrics.get()));
              for (AdminResource r : resources) {
                r.addTo(cfg.routes);
              }
            });
    try {
      app.start();
    } catch (JavalinException | IllegalStateException e) {
      throw new IOException("cannot bind " + address + ": " + e.getMessage(), e);
    }
  }

  private static void configure(JavalinConfig cfg, InetSocketAddress address) {
    cfg.startup.showJavalinBanner = false;
    cfg.startup.showOldJavalinVersionWarning = false;
    cfg.startup.startupWatcherEnabled = false;
    QueuedThreadPool threads = new QueuedThreadPool(16, 2);
    threads.setName("gangway-admin");
    threads.setDaemon(true);
    threads.setStopTimeout(1_000);
    cfg.jetty.threadPool = threads;
    cfg.jetty.modifyHttpConfiguration(
        http -> {
          http.setSendServerVersion(false);
          http.setSendXPoweredBy(false);
        });
    cfg.jetty.addConnector(
        (server, http) -> {
          ServerConnector c =
              new ServerConnector(
                  server,
                  null,
                  new ScheduledExecutorScheduler("gangway-admin-scheduler", true),
                  null,
                  -1,
                  -1,
                  new HttpConnectionFactory(http));
          c.setHost(address.getAddress().getHostAddress());
          c.setPort(address.getPort());
          c.setIdleTimeout(30_000);
          return c;
        });
  }

  /** Kept for callers that start explicitly: the server already serves once constructed. */
  public void start() {}

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
    return app.port();
  }

  @Override
  public void close() {
    EnvoyConnectionWatch w = envoyWatch;
    if (w != null) {
      w.close();
    }
    app.stop();
  }

  /**
   * Returns why the gateway is not ready to carry edits, empty when it is: the config is not
   * published yet, no Envoy is connected, or an Envoy rejected (NACKed) or has not answered a push.
   */
  static List<String> notReady(boolean initialized, List<EnvoyStatus> envoys) {
    List<String> reasons = new ArrayList<>();
    if (!initialized) {
      reasons.add("the first config is not published yet");
    }
    if (envoys.isEmpty()) {
      reasons.add("no Envoy is connected to xDS");
    }
    for (EnvoyStatus e : envoys) {
      String who = e.node() == null ? "stream " + e.stream() : e.node();
      e.types()
          .forEach(
              (type, t) -> {
                EnvoyStatus.Nack nack = t.nack();
                if (nack != null) {
                  reasons.add("Envoy " + who + " rejected " + type + " (NACK): " + nack.message());
                } else if (t.pending() > 0) {
                  reasons.add(
                      "Envoy "
                          + who
                          + " has not answered "
                          + t.pending()
                          + " "
                          + type
                          + " push(es)");
                }
              });
    }
    return reasons;
  }

  private void readyz(Context ctx) throws IOException {
    List<String> reasons = notReady(pipeline.isInitialized(), envoys.get());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("ready", reasons.isEmpty());
    out.put("reasons", reasons);
    json(ctx, reasons.isEmpty() ? 200 : 503, out);
  }

  private Map<String, Object> status() {
    Status s = pipeline.status();
    Map<String, Object> out = new LinkedHashMap<>();
    EnvoyConnectionWatch w = envoyWatch;
    List<EnvoyStatus> connected = envoys.get();
    boolean inSync = connected.stream().allMatch(EnvoyStatus::inSync);
    out.put("ready", pipeline.isInitialized() && (w == null || w.ok()) && inSync);
    if (w != null) {
      out.put("envoy", w.status());
    }
    out.put("envoys", connected);
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

  private void configDump(Context ctx) {
    XdsResources r = pipeline.resources();
    if (r == null) {
      text(ctx, 503, "not ready\n");
      return;
    }
    String type = ctx.queryParam("type");
    type = type == null ? "routes" : type;
    String body =
        switch (type) {
          case "listeners" -> XdsPrinter.yaml(r.listeners());
          case "clusters" -> XdsPrinter.yaml(r.clusters());
          case "endpoints" -> XdsPrinter.yaml(r.endpoints());
          case "routes" -> XdsPrinter.yaml(r.routes());
          case "secrets" -> XdsPrinter.yaml(r.secrets());
          case "all" -> {
            Map<String, List<? extends com.google.protobuf.Message>> all =
                new java.util.LinkedHashMap<>();
            all.put("listeners", r.listeners());
            all.put("routes", r.routes());
            all.put("clusters", r.clusters());
            all.put("endpoints", r.endpoints());
            all.put("secrets", r.secrets());
            yield XdsPrinter.yaml(all);
          }
          default -> null;
        };
    if (body == null) {
      text(
          ctx,
          400,
          "type: "
              + type
              + " (expected: listeners, routes, clusters, endpoints, secrets or all)\n");
    } else {
      ctx.status(200).contentType("application/yaml").result(body);
    }
  }

  private static void text(Context ctx, int status, String body) {
    ctx.status(status).contentType("text/plain").result(body);
  }

  private static void json(Context ctx, int status, Object body) throws IOException {
    ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(body));
  }
}
