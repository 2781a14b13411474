package io.gangway.server.metrics;

import io.gangway.server.ads.EnvoyStatus;
import io.gangway.server.ads.XdsServer;
import io.gangway.server.pipeline.Pipeline;
import io.gangway.server.registry.RegistryManager;
import io.gangway.server.registry.RegistryStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;

/**
 * {@code GatewayMetrics} owns the control plane's meter registry and renders it as Prometheus text
 * for the admin API's {@code /metrics}. Bounded cardinality: nothing is labelled per route.
 */
public final class GatewayMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  /** Binds the meters of a running gateway. */
  public GatewayMetrics(Pipeline pipeline, RegistryManager registries, XdsServer xds) {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    @SuppressWarnings("resource") // closed with the registry
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    bindXds(xds);
    bindConfig(pipeline);
    bindRegistries(pipeline, registries);
    bindTimes(pipeline);
  }

  private void bindTimes(Pipeline pipeline) {
    Timer translation =
        Timer.builder("gangway.translation")
            .description("model to xDS translation time")
            .serviceLevelObjectives(BUCKETS)
            .register(registry);
    Counter applies =
        Counter.builder("gangway.config.applies")
            .description("changes published with at least one changed resource")
            .register(registry);
    Map<String, Timer> push = new java.util.concurrent.ConcurrentHashMap<>();
    pipeline.observe(
        new Pipeline.Observer() {
          @Override
          public void translated(long nanos) {
            translation.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
          }

          @Override
          public void published(String cause, long nanos, boolean changed) {
            if (!changed) {
              return;
            }
            applies.increment();
            push.computeIfAbsent(
                    cause,
                    c ->
                        Timer.builder("gangway.push")
                            .description("change arrived to snapshot published, by cause")
                            .tag("cause", c)
                            .serviceLevelObjectives(BUCKETS)
                            .register(registry))
                .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
          }
        });
  }

  // Fixed buckets keep each histogram at 14 series whatever the load.
  private static final java.time.Duration[] BUCKETS = {
    java.time.Duration.ofMillis(1),
    java.time.Duration.ofMillis(5),
    java.time.Duration.ofMillis(10),
    java.time.Duration.ofMillis(25),
    java.time.Duration.ofMillis(50),
    java.time.Duration.ofMillis(100),
    java.time.Duration.ofMillis(250),
    java.time.Duration.ofMillis(500),
    java.time.Duration.ofSeconds(1),
    java.time.Duration.ofMillis(2500),
    java.time.Duration.ofSeconds(5),
    java.time.Duration.ofSeconds(10)
  };

  private static final java.util.List<String> TYPES =
      java.util.List.of("listeners", "routes", "clusters", "endpoints");

  private void bindXds(XdsServer xds) {
    for (String type : TYPES) {
      counter(
          "gangway.xds.responses", "xDS responses sent", xds, type, EnvoyStatus.Totals::responses);
      counter(
          "gangway.xds.resources.sent",
          "resources carried by xDS responses",
          xds,
          type,
          EnvoyStatus.Totals::resources);
      counter("gangway.xds.acks", "xDS responses Envoy ACKed", xds, type, EnvoyStatus.Totals::acks);
      counter(
          "gangway.xds.nacks",
          "xDS responses Envoy rejected (NACK)",
          xds,
          type,
          EnvoyStatus.Totals::nacks);
    }
    Gauge.builder("gangway.xds.envoys.connected", xds, x -> x.envoys().size())
        .description("Envoys connected over ADS")
        .register(registry);
    Gauge.builder(
            "gangway.xds.envoys.out.of.sync",
            xds,
            x -> x.envoys().stream().filter(e -> !e.inSync()).count())
        .description("connected Envoys with an open NACK or an unanswered push")
        .register(registry);
  }

  private void counter(
      String name,
      String help,
      XdsServer xds,
      String type,
      java.util.function.ToLongFunction<EnvoyStatus.Totals> field) {
    FunctionCounter.builder(
            name,
            xds,
            x -> {
              EnvoyStatus.Totals t = x.totals().get(type);
              return t == null ? 0 : field.applyAsLong(t);
            })
        .description(help)
        .tag("type", type)
        .register(registry);
  }

  private void bindConfig(Pipeline pipeline) {
    for (String state : java.util.List.of("applied", "rejected", "rejected-none-live")) {
      Gauge.builder(
              "gangway.config.documents",
              pipeline,
              p -> p.status().documents().stream().filter(d -> d.state().equals(state)).count())
          .description("route documents by admission state")
          .tag("state", state)
          .register(registry);
    }
    for (String severity : java.util.List.of("error", "warning")) {
      Gauge.builder(
              "gangway.config.diagnostics",
              pipeline,
              p ->
                  p.status().diagnostics().stream()
                      .filter(d -> d.contains(": " + severity + ": "))
                      .count())
          .description("current diagnostics by severity")
          .tag("severity", severity)
          .register(registry);
    }
    Gauge.builder(
            "gangway.config.applied.timestamp.seconds",
            pipeline,
            p -> {
              java.time.Instant at = p.status().appliedAt();
              return at == null ? 0 : at.getEpochSecond();
            })
        .description("when the live config was last applied (Unix seconds)")
        .register(registry);
  }

  private void bindRegistries(Pipeline pipeline, RegistryManager registries) {
    MultiGauge services =
        MultiGauge.builder("gangway.service.endpoints")
            .description("endpoints per discovered service (bounded by services, never routes)")
            .register(registry);
    refreshers.add(
        () -> {
          Map<String, String> origins = registries.origins();
          java.util.List<MultiGauge.Row<?>> rows = new java.util.ArrayList<>();
          registries
              .endpoints()
              .forEach(
                  (host, set) ->
                      rows.add(
                          MultiGauge.Row.of(
                              Tags.of(
                                  "registry",
                                  origins.getOrDefault(host, "unknown"),
                                  "service",
                                  host),
                              set.endpoints().size())));
          services.register(rows, true);
        });
    // Registries come and go with McpBridge edits: a MultiGauge overwritten at each scrape drops
    // the series of removed registries.
    MultiGauge up =
        MultiGauge.builder("gangway.registry.up")
            .description("1 when the registry lists endpoints, 0 when failing or starting")
            .register(registry);
    MultiGauge stale =
        MultiGauge.builder("gangway.registry.stale")
            .description("1 while the registry's endpoints are persisted or inherited ones")
            .register(registry);
    MultiGauge endpoints =
        MultiGauge.builder("gangway.registry.endpoints")
            .description("endpoints served from the registry")
            .register(registry);
    refreshers.add(() -> refreshErrors(registries));
    refreshers.add(
        () -> {
          Map<String, RegistryStatus> rs = pipeline.status().registries();
          up.register(rows(rs, r -> r.state().equals("ready") ? 1 : 0), true);
          stale.register(rows(rs, r -> r.endpointsFrom().equals("registry") ? 0 : 1), true);
          endpoints.register(rows(rs, RegistryStatus::endpoints), true);
        });
  }

  private final Map<String, FunctionCounter> errorCounters = new java.util.HashMap<>();

  /**
   * Registers a {@code gangway.registry.errors} counter per configured registry and removes those
   * of removed registries (their count is dropped with them).
   */
  private void refreshErrors(RegistryManager registries) {
    java.util.Set<String> keys = registries.errorKeys();
    synchronized (errorCounters) {
      errorCounters
          .entrySet()
          .removeIf(
              e -> {
                if (keys.contains(e.getKey())) {
                  return false;
                }
                registry.remove(e.getValue());
                return true;
              });
      for (String key : keys) {
        errorCounters.computeIfAbsent(
            key,
            k ->
                FunctionCounter.builder("gangway.registry.errors", registries, r -> r.errorCount(k))
                    .description(
                        "registry failures: one each time a registry turns to failing (an outage,"
                            + " however many retries fail in it) or cannot start")
                    .tags(registryTags(k))
                    .register(registry));
      }
    }
  }

  /**
   * Returns the {@code registry} (the McpBridge key, {@code type/name}) and {@code type} labels of
   * a registry. The type is also the key's prefix; a label of its own lets a query group by it.
   */
  static Tags registryTags(String key) {
    int slash = key.indexOf('/');
    return Tags.of("registry", key, "type", slash < 0 ? "unknown" : key.substring(0, slash));
  }

  private static java.util.List<MultiGauge.Row<?>> rows(
      Map<String, RegistryStatus> rs, java.util.function.ToIntFunction<RegistryStatus> value) {
    java.util.List<MultiGauge.Row<?>> out = new java.util.ArrayList<>();
    rs.forEach(
        (name, r) -> {
          int v = value.applyAsInt(r);
          out.add(MultiGauge.Row.of(registryTags(name), v));
        });
    return out;
  }

  private final java.util.List<Runnable> refreshers =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Returns the meter registry, for components that record into it. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Returns the Prometheus text exposition (format 0.0.4). */
  public String scrape() {
    refreshers.forEach(Runnable::run);
    return registry.scrape();
  }

  /** Returns the content type of {@link #scrape()}. */
  public static String contentType() {
    return "text/plain; version=0.0.4; charset=utf-8";
  }

  @Override
  public void close() {
    registry.close();
  }
}
