package io.gangway.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gangway.server.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gangway.yaml} is read strictly, every problem is one line naming the place, and defaults
 * are safe.
 */
class ConfigLoaderTest {

  @TempDir Path dir;

  private Path write(String text) throws IOException {
    Path f = dir.resolve("gangway.yaml");
    Files.writeString(f, text);
    return f;
  }

  private GatewayConfig load(String text) throws Exception {
    return ConfigLoader.load(write(text));
  }

  private String error(String text) throws IOException {
    Path f = write(text);
    return org.assertj.core.api.Assertions.catchThrowableOfType(
            ConfigException.class, () -> ConfigLoader.load(f))
        .getMessage();
  }

  @Test
  void load_typeError_namesTheLineWhatIsExpected_andAFix() throws IOException {
    String msg = error("xds:\n  port: fifteen\n");
    assertThat(msg)
        .contains("gangway.yaml:2:")
        .contains("xds.port")
        .contains("expected a whole number")
        .contains("\"fifteen\"")
        .contains("Fix:");
    assertThat(error("gateway:\n  listeners: 8080\n"))
        .contains("gateway.listeners")
        .contains("Fix:");
  }

  @Test
  void load_healthChecks_applyDefaults_andABadOneNamesTheField() throws Exception {
    GatewayConfig c =
        load(
            "upstream:\n  healthChecks:\n    - {hosts: \"*.static\", path: /healthz, interval: 2s}\n");
    io.gangway.xds.UpstreamDefaults.HealthCheck h = c.upstream().toDefaults().healthChecks().get(0);
    assertThat(h)
        .isEqualTo(
            new io.gangway.xds.UpstreamDefaults.HealthCheck(
                "*.static",
                "/healthz",
                java.time.Duration.ofSeconds(2),
                java.time.Duration.ofSeconds(1),
                3,
                2));
    assertThat(load("").upstream().toDefaults().healthChecks()).as("off by default").isEmpty();
    assertThat(error("upstream:\n  healthChecks:\n    - {hosts: \"*.static\"}\n"))
        .contains("upstream.healthChecks")
        .contains("path");
    assertThat(
            error(
                "upstream:\n  healthChecks:\n    - {hosts: a.static, path: /h, interval: soon}\n"))
        .contains("upstream.healthChecks[0].interval");
  }

  @Test
  void load_emptyFile_givesTheDefaults() throws Exception {
    GatewayConfig c = load("");
    assertThat(c).isEqualTo(load("\n  \n"));
    assertThat(c.gateway().listeners())
        .containsExactly(new GatewayConfig.Endpoint("0.0.0.0", 8080));
    assertThat(c.gateway().accessLog()).isEqualTo("logs/access.log");
    assertThat(c.gateway().ingressClass()).isEmpty();
    assertThat(c.xds()).isEqualTo(new GatewayConfig.Endpoint("127.0.0.1", 15010));
    assertThat(c.admin()).isEqualTo(new GatewayConfig.Endpoint("127.0.0.1", 15020));
    assertThat(c.envoy().admin()).isEqualTo(new GatewayConfig.Endpoint("127.0.0.1", 15000));
    assertThat(c.envoy().xdsProtocol()).isEqualTo("delta");
    assertThat(c.envoy().effectiveBaseId()).isEqualTo(15000);
    assertThat(c.routes().source()).isEqualTo("file");
    assertThat(c.routes().paths()).containsExactly("routes");
    assertThat(c.routes().debounceDuration()).isEqualTo(Duration.ofMillis(100));
    assertThat(c.routes().initialLoadDuration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.routes().pollDuration()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void load_partialSections_keepTheOtherDefaults() throws Exception {
    GatewayConfig c = load("gateway:\n  listeners: [{port: 80}]\nxds: {port: 18000}\n");
    assertThat(c.gateway().listeners())
        .containsExactly(new GatewayConfig.Endpoint("127.0.0.1", 80));
    assertThat(c.xds()).isEqualTo(new GatewayConfig.Endpoint("127.0.0.1", 18000));
    assertThat(c.admin().port()).isEqualTo(15020);
    assertThat(c.gateway().idleTimeout()).isEqualTo("1h");
  }

  @Test
  void load_unknownField_namesTheFieldWithALineAndTheKnownFields() throws IOException {
    String m = error("gateway:\n  idleTimeout: 1h\n  listners: []\n");
    // The line is where Jackson stops (the end of the mapping, here 4), not always the field's own
    // line.
    assertThat(m)
        .matches(
            java.util.regex.Pattern.quote(dir.resolve("gangway.yaml").toString())
                + ":\\d+:\\d+: .*")
        .contains("unknown field 'listners'")
        .contains("listeners");
  }

  @Test
  void load_unknownTopLevelField_isAnError() throws IOException {
    assertThat(error("route:\n  paths: [x]\n"))
        .contains("unknown field 'route'")
        .contains("known: [");
  }

  @Test
  void load_badDuration_saysWhichFieldAndWhatIsExpected() throws IOException {
    assertThat(error("gateway:\n  idleTimeout: 10 minutes\n"))
        .contains(
            "gateway.idleTimeout: '10 minutes' (expected: a duration such as 100ms, 10s, 5m, 1h)");
    assertThat(error("routes:\n  debounce: 1d\n")).contains("routes.debounce: '1d'");
  }

  @Test
  void load_portOutOfRange_isAnError() throws IOException {
    assertThat(error("admin: {port: 70000}\n")).contains("port: 70000 (expected: 1-65535)");
  }

  @Test
  void load_wrongType_isAnErrorAtTheValue() throws IOException {
    assertThat(error("gateway:\n  xffNumTrustedHops: many\n  accessLog: a\n"))
        .startsWith(dir.resolve("gangway.yaml") + ":2:22: ")
        .contains("\"many\"");
  }

  @Test
  void load_unknownXdsProtocol_isAnError() throws IOException {
    assertThat(error("envoy: {xdsProtocol: rest}\n"))
        .contains("envoy.xdsProtocol: rest (expected: delta or sotw)");
  }

  @Test
  void load_missingFile_saysHowToFixIt() {
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("nope.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("does not exist")
        .hasMessageContaining("--conf");
  }

  @Test
  void envoyAdminOnAllInterfaces_isRejectedByTheBootstrapSpec() throws Exception {
    Path f = write("envoy:\n  admin: {address: 0.0.0.0, port: 15000}\n");
    GatewayConfig c = ConfigLoader.load(f);
    Settings s = Settings.of(c, f);
    assertThatThrownBy(() -> s.bootstrap(15010))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("envoy.admin.address: 0.0.0.0 (expected: a loopback address");
  }

  @Test
  void envoyAdminOnLoopback_isAccepted() throws Exception {
    Path f = write("envoy:\n  admin: {address: 127.0.0.1, port: 15001}\n  nodeId: edge-1\n");
    assertThat(Settings.of(ConfigLoader.load(f), f).bootstrap(15010).adminPort()).isEqualTo(15001);
  }

  @Test
  void envoyStats_defaultsToLoopback15090_andMayBeBoundBeyondLoopback() throws Exception {
    Path none = write("envoy:\n  nodeId: edge-1\n");
    var defaults = Settings.of(ConfigLoader.load(none), none).bootstrap(15010);
    assertThat(defaults.statsAddress()).isEqualTo("127.0.0.1");
    assertThat(defaults.statsPort()).isEqualTo(15090);
    Path all = write("envoy:\n  stats: {address: 0.0.0.0, port: 9901}\n  nodeId: edge-1\n");
    var bound = Settings.of(ConfigLoader.load(all), all).bootstrap(15010);
    assertThat(bound.statsAddress()).isEqualTo("0.0.0.0");
    assertThat(bound.statsPort()).isEqualTo(9901);
  }
}
