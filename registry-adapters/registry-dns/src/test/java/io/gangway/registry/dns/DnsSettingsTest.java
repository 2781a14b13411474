package io.gangway.registry.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gangway.spi.registry.RegistryConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DnsSettingsTest {

  private static DnsSettings parse(Map<String, Object> spec) {
    return DnsSettings.parse(new RegistryConfig("dns", "r", spec));
  }

  @Test
  void parse_domainsPortAndServers() throws Exception {
    DnsSettings s =
        parse(
            Map.of(
                "domain",
                "a.example.com, b.example.org",
                "port",
                "8080",
                "dnsServer",
                "127.0.0.1:5353,[::1]:5300,10.0.0.53"));
    assertThat(s.domains()).containsExactly("a.example.com", "b.example.org");
    assertThat(s.port()).isEqualTo(8080);
    assertThat(s.servers())
        .containsExactly(
            new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5353),
            new InetSocketAddress(InetAddress.getByName("::1"), 5300),
            new InetSocketAddress(InetAddress.getByName("10.0.0.53"), 53));
  }

  @Test
  void parse_withoutDnsServer_usesTheSystemResolver() {
    assertThat(parse(Map.of("domain", "a.example.com", "port", 80)).servers()).isEmpty();
  }

  @Test
  void parse_singleLabelOrBadName_isRejectedNamingDomain() {
    assertThatThrownBy(() -> parse(Map.of("domain", "nacos", "port", 80)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("domain: 'nacos'");
    assertThatThrownBy(() -> parse(Map.of("domain", "a.example.com,-bad.example.com", "port", 80)))
        .hasMessageStartingWith("domain: '-bad.example.com'");
    assertThatThrownBy(() -> parse(Map.of("domain", "10.0.0.1", "port", 80)))
        .hasMessageStartingWith("domain:");
    assertThatThrownBy(() -> parse(Map.of("domain", " ", "port", 80)))
        .hasMessageStartingWith("domain: ''");
  }

  @Test
  void parse_missingOrBadPort_isRejectedNamingPort() {
    assertThatThrownBy(() -> parse(Map.of("domain", "a.example.com")))
        .hasMessage("port: absent (expected: 1-65535)");
    assertThatThrownBy(() -> parse(Map.of("domain", "a.example.com", "port", 70000)))
        .hasMessageStartingWith("port: 70000");
    assertThatThrownBy(() -> parse(Map.of("domain", "a.example.com", "port", "x")))
        .hasMessageStartingWith("port: x");
  }

  @Test
  void parse_badDnsServer_isRejectedNamingDnsServer() {
    for (String bad :
        List.of(
            "ns1.example.com", "127.0.0.1:0", "127.0.0.1:x", "[::1", "[::1]x", "999.1.1.1:53")) {
      assertThatThrownBy(
              () -> parse(Map.of("domain", "a.example.com", "port", 80, "dnsServer", bad)))
          .as(bad)
          .hasMessageStartingWith("dnsServer: '" + bad + "'");
    }
  }

  @Test
  void provider_isTypeDns_andCreatesWithoutResolving() {
    DnsRegistryProvider provider = new DnsRegistryProvider();
    assertThat(provider.type()).isEqualTo("dns");
    provider
        .create(new RegistryConfig("dns", "r", Map.of("domain", "a.example.com", "port", 80)))
        .close();
  }
}
