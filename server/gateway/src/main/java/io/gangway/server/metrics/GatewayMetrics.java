package io.gangway.server.metrics;

import io.gangway.server.ads.XdsServer;
import io.gangway.server.pipeline.Pipeline;
import io.gangway.server.registry.RegistryManager;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

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
    @SuppressWarnings("resource") // closed with the registry
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    // TODO(issue 10): pipeline, registry and xDS meters
  }

  /** Returns the meter registry, for components that record into it. */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Returns the Prometheus text exposition (format 0.0.4). */
  public String scrape() {
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
