package io.gangway.registry.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class DnsRegistryTest {

  @Test
  void nextDelay_followsTheTtlWithinOneToThirtySeconds() {
    assertThat(DnsRegistry.nextDelaySeconds(0, 0)).isEqualTo(1);
    assertThat(DnsRegistry.nextDelaySeconds(7, 0)).isEqualTo(7);
    assertThat(DnsRegistry.nextDelaySeconds(86_400, 0)).isEqualTo(30);
  }

  @Test
  void nextDelay_afterFailures_backsOffExponentiallyToThirtySeconds() {
    assertThat(DnsRegistry.nextDelaySeconds(30, 1)).isEqualTo(1);
    assertThat(DnsRegistry.nextDelaySeconds(30, 2)).isEqualTo(2);
    assertThat(DnsRegistry.nextDelaySeconds(30, 4)).isEqualTo(8);
    assertThat(DnsRegistry.nextDelaySeconds(30, 6)).isEqualTo(30);
    assertThat(DnsRegistry.nextDelaySeconds(30, 1000)).isEqualTo(30);
    assertThat(DnsRegistry.nextDelaySeconds(3, 5)).isEqualTo(3);
  }

  @Test
  void format_ipv6IsCompressedAsRfc5952() throws Exception {
    assertThat(DnsLookup.format(InetAddress.getByName("2001:db8:0:0:0:0:0:1")))
        .isEqualTo("2001:db8::1");
    assertThat(DnsLookup.format(InetAddress.getByName("::1"))).isEqualTo("::1");
    assertThat(DnsLookup.format(InetAddress.getByName("2001:db8:0:1:0:0:0:0")))
        .isEqualTo("2001:db8:0:1::");
    assertThat(DnsLookup.format(InetAddress.getByName("2001:0:0:1:0:0:0:1")))
        .isEqualTo("2001:0:0:1::1");
    assertThat(DnsLookup.format(InetAddress.getByName("192.0.2.1"))).isEqualTo("192.0.2.1");
  }
}
