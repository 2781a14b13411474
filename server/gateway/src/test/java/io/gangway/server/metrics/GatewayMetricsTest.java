package io.gangway.server.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.ingress.IngressTranslator;
import io.gangway.server.ads.SnapshotPublisher;
import io.gangway.server.ads.XdsServer;
import io.gangway.server.pipeline.Pipeline;
import io.gangway.server.registry.RegistryManager;
import io.gangway.xds.ListenerSettings;
import io.gangway.xds.XdsTranslator;
import io.gangway.xds.feature.Features;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
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
        Pipeline pipeline =
            new Pipeline(
                new IngressTranslator(null),
                new XdsTranslator(
                    List.of(ListenerSettings.defaults("0.0.0.0", 8080)),
                    Features.defaults(),
                    Duration.ofSeconds(5)),
                registries,
                publisher,
                data,
                Duration.ZERO);
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
          .contains("process_uptime_seconds");
      long series = text.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).count();
      assertThat(series).as("bounded: no per-route series").isLessThan(400);
    }
  }
}
