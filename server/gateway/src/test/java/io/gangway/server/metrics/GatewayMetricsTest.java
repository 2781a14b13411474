package io.gangway.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.ingress.IngressTranslator;
import io.gangway.server.ads.SnapshotPublisher;
import io.gangway.server.ads.XdsServer;
import io.gangway.server.pipeline.Pipeline;
import io.gangway.server.registry.RegistryManager;
import io.gangway.spi.registry.Endpoint;
import io.gangway.spi.registry.EndpointListener;
import io.gangway.spi.registry.EndpointSet;
import io.gangway.spi.registry.Registry;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.registry.RegistryProvider;
import io.gangway.xds.ListenerSettings;
import io.gangway.xds.XdsTranslator;
import io.gangway.xds.feature.Features;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayMetricsTest {

  @TempDir Path data;

  @Test
  void scrape_hasTheControlPlaneSeries_labelledByTypeStateAndSeverity_neverByRoute()
      throws Exception {
    SnapshotPublisher publisher = new SnapshotPublisher();
    try (RegistryManager registries = new RegistryManager(Map.of(), () -> {});
        Pipeline pipeline = pipeline(registries, publisher);
        XdsServer xds = new XdsServer(new InetSocketAddress("127.0.0.1", 0), publisher);
        GatewayMetrics metrics = new GatewayMetrics(pipeline, registries, xds)) {
      String text = metrics.scrape();
      assertThat(text)
          .contains("gangway_xds_responses_total{type=\"routes\"} 0.0")
          .contains("gangway_xds_nacks_total{type=\"clusters\"} 0.0")
          .contains("gangway_xds_acks_total{type=\"listeners\"} 0.0")
          .contains("gangway_xds_resources_sent_total{type=\"endpoints\"} 0.0")
          .contains("gangway_xds_envoys_connected 0.0")
          .contains("gangway_xds_envoys_out_of_sync 0.0")
          .contains("gangway_config_documents{state=\"rejected\"} 0.0")
          .contains("gangway_config_diagnostics{severity=\"error\"} 0.0")
          .contains("gangway_config_applies_total 0.0")
          .contains("gangway_translation_seconds_bucket{le=\"0.1\"}")
          .contains("jvm_memory_used_bytes")
          .contains("process_uptime_seconds")
          .contains("process_files_open_files");
      long series = text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count();
      assertThat(series).as("bounded: no per-route series").isLessThan(400);
    }
  }

  /** A registry whose listener the test drives by hand. */
  private static final class Driven implements Registry {
    EndpointListener listener;

    @Override
    public void start(EndpointListener l) {
      listener = l;
    }

    @Override
    public void close() {}
  }

  @Test
  void registryErrors_countOutagesAndFailedStarts_perRegistryWithItsType_andSurviveAnEdit()
      throws Exception {
    List<Driven> created = new ArrayList<>();
    RegistryProvider flaky =
        new RegistryProvider() {
          @Override
          public String type() {
            return "flaky";
          }

          @Override
          public Registry create(RegistryConfig config) {
            Driven d = new Driven();
            created.add(d);
            return d;
          }
        };
    RegistryProvider broken =
        new RegistryProvider() {
          @Override
          public String type() {
            return "broken";
          }

          @Override
          public Registry create(RegistryConfig config) {
            throw new IllegalArgumentException("server: unreachable");
          }
        };
    SnapshotPublisher publisher = new SnapshotPublisher();
    try (RegistryManager registries =
            new RegistryManager(Map.of("flaky", flaky, "broken", broken), () -> {});
        Pipeline pipeline = pipeline(registries, publisher);
        XdsServer xds = new XdsServer(new InetSocketAddress("127.0.0.1", 0), publisher);
        GatewayMetrics metrics = new GatewayMetrics(pipeline, registries, xds)) {
      RegistryConfig a = new RegistryConfig("flaky", "a", Map.of("domain", "one"));
      RegistryConfig b = new RegistryConfig("broken", "b", Map.of());
      registries.reconcile(List.of(a, b));
      String flakyA = "{registry=\"flaky/a\",type=\"flaky\"}";
      assertThat(metrics.scrape())
          .contains("gangway_registry_errors_total" + flakyA + " 0.0")
          .contains("gangway_registry_errors_total{registry=\"broken/b\",type=\"broken\"} 1.0")
          .contains("gangway_registry_up" + flakyA + " 0.0")
          .contains("gangway_registry_stale" + flakyA + " 0.0")
          .contains("gangway_registry_endpoints" + flakyA + " 0.0");

      EndpointListener l = created.get(0).listener;
      l.onReady("flaky/a");
      assertThat(metrics.scrape()).contains("gangway_registry_up" + flakyA + " 1.0");
      String svc = "gangway_service_endpoints{registry=\"flaky/a\",service=\"svc.flaky\"}";
      l.onEndpoints("flaky/a", new EndpointSet("svc.flaky", List.of(Endpoint.of("10.0.0.1", 80))));
      assertThat(metrics.scrape())
          .contains(svc + " 1.0")
          .contains("gangway_registry_endpoints" + flakyA + " 1.0");
      l.onEndpoints(
          "flaky/a",
          new EndpointSet(
              "svc.flaky", List.of(Endpoint.of("10.0.0.1", 80), Endpoint.of("10.0.0.2", 80))));
      assertThat(metrics.scrape())
          .as("the values follow the registry between scrapes")
          .contains(svc + " 2.0")
          .contains("gangway_registry_endpoints" + flakyA + " 2.0");
      l.onServiceRemoved("flaky/a", "svc.flaky");
      assertThat(metrics.scrape()).doesNotContain("service=\"svc.flaky\"");
      l.onError("flaky/a", new java.io.IOException("connection refused"));
      l.onError("flaky/a", new java.io.IOException("connection refused")); // same outage
      assertThat(metrics.scrape())
          .contains("gangway_registry_errors_total" + flakyA + " 1.0")
          .contains("gangway_registry_up" + flakyA + " 0.0");
      l.onRecovered("flaky/a");
      l.onError("flaky/a", new java.io.IOException("timeout"));
      assertThat(metrics.scrape()).contains("gangway_registry_errors_total" + flakyA + " 2.0");

      // An edit restarts the entry: a new instance, the same series, the count kept.
      registries.reconcile(List.of(new RegistryConfig("flaky", "a", Map.of("domain", "two")), b));
      assertThat(created).hasSize(2);
      assertThat(metrics.scrape())
          .contains("gangway_registry_errors_total" + flakyA + " 2.0")
          .as("a failed start is retried with the new list, and counted again")
          .contains("gangway_registry_errors_total{registry=\"broken/b\",type=\"broken\"} 2.0");
      created.get(1).listener.onError("flaky/a", new java.io.IOException("timeout"));
      assertThat(metrics.scrape()).contains("gangway_registry_errors_total" + flakyA + " 3.0");

      // A removed registry takes its series with it.
      registries.reconcile(List.of(b));
      assertThat(metrics.scrape())
          .doesNotContain("registry=\"flaky/a\"")
          .contains("gangway_registry_errors_total{registry=\"broken/b\",type=\"broken\"} 3.0");
    }
  }

  private Pipeline pipeline(RegistryManager registries, SnapshotPublisher publisher) {
    return new Pipeline(
        new IngressTranslator(null),
        new XdsTranslator(
            List.of(ListenerSettings.defaults("0.0.0.0", 8080)),
            Features.defaults(),
            Duration.ofSeconds(5)),
        registries,
        publisher,
        data,
        Duration.ZERO);
  }
}
