package io.gangway.server.metrics;

import io.gangway.server.ads.EnvoyStatus;
import io.gangway.server.ads.XdsServer;
import io.gangway.server.pipeline.Pipeline;
import io.gangway.server.pipeline.Status;
import io.gangway.server.registry.RegistryManager;
import io.gangway.server.registry.RegistryStatus;
import io.gangway.spi.registry.EndpointSet;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * {@code GatewayMetrics} owns the control plane's meter registry and renders it as Prometheus text
 * for the admin API's {@code /metrics}. Bounded cardinality: nothing is labelled per route.
 */
public final class GatewayMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Pipeline pipeline;
  // The pipeline's status, taken once per scrape: it reads every registry's live state, and the
  // config and registry gauges would otherwise take it once each.
  private volatile @Nullable Status current;
  // The merged endpoints, taken once per scrape for the per-service gauges.
  private volatile Map<String, EndpointSet> endpoints = Map.of();

  /** Binds the meters of a running gateway. */
  public GatewayMetrics(Pipeline pipeline, RegistryManager registries, XdsServer xds) {
    this.pipeline = pipeline;
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
    bindRegistries(registries);
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
              p -> status().documents().stream().filter(d -> d.state().equals(state)).count())
          .description("route documents by admission state")
          .tag("state", state)
          .register(registry);
    }
    for (String severity : java.util.List.of("error", "warning")) {
      Gauge.builder(
              "gangway.config.diagnostics",
              pipeline,
              p ->
                  status().diagnostics().stream()
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
              java.time.Instant at = status().appliedAt();
              return at == null ? 0 : at.getEpochSecond();
            })
        .description("when the live config was last applied (Unix seconds)")
        .register(registry);
  }

  private void bindRegistries(RegistryManager registries) {
    Keyed<ServiceKey> services =
        new Keyed<>(
            k ->
                List.of(
                    Gauge.builder(
                            "gangway.service.endpoints",
                            () -> {
                              EndpointSet set = endpoints.get(k.host());
                              return set == null ? Double.NaN : set.endpoints().size();
                            })
                        .description(
                            "endpoints per discovered service (bounded by services, never routes)")
                        .tags("registry", k.registry(), "service", k.host())
                        .register(registry)));
    refreshers.add(
        () -> {
          Map<String, String> origins = registries.origins();
          Map<String, EndpointSet> now = registries.endpoints();
          endpoints = now;
          Set<ServiceKey> keys = new HashSet<>();
          now.keySet()
              .forEach(h -> keys.add(new ServiceKey(origins.getOrDefault(h, "unknown"), h)));
          services.update(keys);
        });
    Keyed<String> gauges =
        new Keyed<>(
            key ->
                List.of(
                    registryGauge(
                        "gangway.registry.up",
                        "1 when the registry lists endpoints, 0 when failing or starting",
                        key,
                        r -> r.state().equals("ready") ? 1 : 0),
                    registryGauge(
                        "gangway.registry.stale",
                        "1 while the registry's endpoints are persisted or inherited ones",
                        key,
                        r -> r.endpointsFrom().equals("registry") ? 0 : 1),
                    registryGauge(
                        "gangway.registry.endpoints",
                        "endpoints served from the registry",
                        key,
                        RegistryStatus::endpoints)));
    Keyed<String> errors =
        new Keyed<>(
            key ->
                List.of(
                    FunctionCounter.builder(
                            "gangway.registry.errors", registries, r -> r.errorCount(key))
                        .description(
                            "registry failures: one each time a registry turns to failing (an"
                                + " outage, however many retries fail in it) or cannot start")
                        .tags(registryTags(key))
                        .register(registry)));
    refreshers.add(
        () -> {
          gauges.update(status().registries().keySet());
          errors.update(registries.errorKeys());
        });
  }

  private Meter registryGauge(
      String name, String help, String key, ToIntFunction<RegistryStatus> value) {
    return Gauge.builder(
            name,
            () -> {
              RegistryStatus r = status().registries().get(key);
              return r == null ? Double.NaN : value.applyAsInt(r);
            })
        .description(help)
        .tags(registryTags(key))
        .register(registry);
  }

  /**
   * Returns the {@code registry} (the McpBridge key, {@code type/name}) and {@code type} labels of
   * a registry. The type is also the key's prefix; a label of its own lets a query group by it.
   */
  static Tags registryTags(String key) {
    int slash = key.indexOf('/');
    return Tags.of("registry", key, "type", slash < 0 ? "unknown" : key.substring(0, slash));
  }

  private record ServiceKey(String registry, String host) {}

  /**
   * {@code Keyed} keeps per-key meters in step with a set of keys (registries, services): a key's
   * meters are registered when it appears and removed when it goes, so a removed registry or
   * service leaves no series, and the meters of a key that stays are never registered again (a
   * {@code MultiGauge} overwritten at each scrape re-registers every row, quadratic in the rows).
   */
  private final class Keyed<K> {
    private final Map<K, List<Meter>> meters = new HashMap<>();
    private final Function<K, List<Meter>> create;

    Keyed(Function<K, List<Meter>> create) {
      this.create = create;
    }

    synchronized void update(Set<K> keys) {
      meters
          .entrySet()
          .removeIf(
              e -> {
                if (keys.contains(e.getKey())) {
                  return false;
                }
                e.getValue().forEach(registry::remove);
                return true;
              });
      for (K key : keys) {
        meters.computeIfAbsent(key, create);
      }
    }
  }

  private final java.util.List<Runnable> refreshers =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  private Status status() {
    Status s = current;
    return s == null ? pipeline.status() : s;
  }

  /** Returns the meter registry, for components that record into it. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Returns the Prometheus text exposition (format 0.0.4). */
  public String scrape() {
    current = pipeline.status();
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
