package io.gangway.registry.zookeeper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gangway.spi.registry.RegistryConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZooKeeperSettingsTest {

  private static ZooKeeperSettings parse(Map<String, Object> spec) {
    return ZooKeeperSettings.parse(new RegistryConfig("zookeeper", "zk", spec));
  }

  @Test
  void parse_connectStringAndRoots() {
    ZooKeeperSettings s =
        parse(
            Map.of(
                "domain",
                "zk1.example.com, zk2.example.com:2182,[::1]",
                "port",
                2181,
                "zkServicesPath",
                List.of("/a/b/", "/services", "/dubbo", "/c")));
    assertThat(s.connectString()).isEqualTo("zk1.example.com:2181,zk2.example.com:2182,[::1]:2181");
    assertThat(s.springRoots()).containsExactly("/services", "/a/b", "/c");
  }

  @Test
  void parse_defaults() {
    ZooKeeperSettings s = parse(Map.of("domain", "127.0.0.1"));
    assertThat(s.connectString()).isEqualTo("127.0.0.1:2181");
    assertThat(s.springRoots()).containsExactly("/services");
  }

  @Test
  void parse_errorsNameTheField() {
    assertThatThrownBy(() -> parse(Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("domain: ''");
    assertThatThrownBy(() -> parse(Map.of("domain", "zk host")))
        .hasMessageStartingWith("domain: 'zk host'");
    assertThatThrownBy(() -> parse(Map.of("domain", "zk", "port", 0)))
        .hasMessageStartingWith("port: 0");
    assertThatThrownBy(() -> parse(Map.of("domain", "zk", "zkServicesPath", "relative")))
        .hasMessageStartingWith("zkServicesPath: 'relative'");
    assertThatThrownBy(() -> parse(Map.of("domain", "zk", "zkServicesPath", "/a//b")))
        .hasMessageStartingWith("zkServicesPath: '/a//b'");
  }

  @Test
  void provider_isTypeZookeeper_andCreatesWithoutConnecting() {
    ZooKeeperRegistryProvider provider = new ZooKeeperRegistryProvider();
    assertThat(provider.type()).isEqualTo("zookeeper");
    provider.create(new RegistryConfig("zookeeper", "zk", Map.of("domain", "127.0.0.1"))).close();
  }
}
