package io.gangway.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.gangway.testing.GoldenFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class BootstrapRendererTest {

  /**
   * Golden cases: each {@code golden/<case>.in.yaml} holds one spec as {@code key: value} lines;
   * the output is the rendered bootstrap JSON.
   */
  @TestFactory
  Stream<DynamicTest> golden() {
    return GoldenFiles.cases(
        GoldenFiles.sourceDir("golden"),
        in -> Map.of("bootstrap", BootstrapRenderer.renderJson(spec(in))));
  }

  @Test
  void spec_publicAdminAddress_isRefused() {
    assertThatThrownBy(
            () -> new BootstrapSpec("n", "c", "127.0.0.1", 15010, "0.0.0.0", 15000, true, 100))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("envoy.admin.address: 0.0.0.0")
        .hasMessageContaining("loopback");
    assertThatThrownBy(
            () -> new BootstrapSpec("n", "c", "127.0.0.1", 15010, "10.1.2.3", 15000, true, 100))
        .hasMessageContaining("loopback");
  }

  @Test
  void render_deltaFlag_selectsTheAdsProtocol() {
    Bootstrap delta =
        BootstrapRenderer.render(new BootstrapSpec("n", "c", "127.0.0.1", 1, "::1", 2, true, 10));
    Bootstrap sotw =
        BootstrapRenderer.render(
            new BootstrapSpec("n", "c", "127.0.0.1", 1, "127.0.0.1", 2, false, 10));
    assertThat(delta.getDynamicResources().getAdsConfig().getApiType())
        .isEqualTo(ApiConfigSource.ApiType.DELTA_GRPC);
    assertThat(sotw.getDynamicResources().getAdsConfig().getApiType())
        .isEqualTo(ApiConfigSource.ApiType.GRPC);
    assertThat(delta.getStaticResources().getClustersList())
        .extracting(c -> c.getName())
        .containsExactly(BootstrapRenderer.XDS_CLUSTER);
  }

  private static BootstrapSpec spec(Path in) {
    Map<String, String> kv = new java.util.HashMap<>();
    try {
      for (String line : Files.readAllLines(in)) {
        if (!line.startsWith("#") && line.contains(":")) {
          kv.put(
              line.substring(0, line.indexOf(':')).trim(),
              line.substring(line.indexOf(':') + 1).trim());
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return new BootstrapSpec(
        kv.get("nodeId"),
        kv.get("nodeCluster"),
        kv.get("xdsAddress"),
        Integer.parseInt(kv.get("xdsPort")),
        kv.get("adminAddress"),
        Integer.parseInt(kv.get("adminPort")),
        Boolean.parseBoolean(kv.get("delta")),
        Integer.parseInt(kv.get("maxDownstreamConnections")));
  }
}
