package io.gangway.registry.dns;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.registry.testkit.DnsmasqExtension;
import io.gangway.registry.testkit.RecordingListener;
import io.gangway.registry.testkit.RecordingListener.Kind;
import io.gangway.spi.registry.Registry;
import io.gangway.spi.registry.RegistryConfig;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * DNS-specific behaviour against a real dnsmasq: several names, AAAA, partial failure,
 * re-reporting.
 */
class DnsRegistryIT {

  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final String API = "api." + DnsmasqExtension.ZONE;
  private static final String WEB = "web." + DnsmasqExtension.ZONE;
  private static final String HOST = "mixed.dns";

  @RegisterExtension final DnsmasqExtension dnsmasq = new DnsmasqExtension();
  private final RecordingListener listener = new RecordingListener();
  private @Nullable Registry registry;

  @AfterEach
  void closeRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  private void start(String domain) {
    Registry r =
        new DnsRegistryProvider()
            .create(
                new RegistryConfig(
                    "dns",
                    "mixed",
                    Map.of(
                        "domain",
                        domain,
                        "port",
                        9090,
                        "dnsServer",
                        "127.0.0.1:" + dnsmasq.port())));
    registry = r;
    r.start(listener);
  }

  @Test
  void severalNames_publishTheUnionOfAAndAaaaWithTheRegistryPort() throws Exception {
    dnsmasq.add(API, "192.0.2.1");
    dnsmasq.add(API, "2001:db8:0:0:0:0:0:1");
    dnsmasq.add(WEB, "192.0.2.2");
    start(API + ", " + WEB);
    listener.awaitAddresses(
        HOST, List.of("192.0.2.1:9090", "192.0.2.2:9090", "[2001:db8::1]:9090"), WAIT);
    listener.awaitCount(Kind.READY, 1, WAIT);
  }

  @Test
  void oneNameFailing_keepsItsLastAddresses_whileTheOtherNameStillUpdates() throws Exception {
    dnsmasq.add(API, "192.0.2.1");
    dnsmasq.add(WEB, "192.0.2.2");
    start(API + "," + WEB);
    listener.awaitAddresses(HOST, List.of("192.0.2.1:9090", "192.0.2.2:9090"), WAIT);
    dnsmasq.remove(API, "192.0.2.1"); // NXDOMAIN from now on
    dnsmasq.add(WEB, "192.0.2.3");
    listener.awaitAddresses(
        HOST, List.of("192.0.2.1:9090", "192.0.2.2:9090", "192.0.2.3:9090"), WAIT);
    listener.awaitCount(Kind.ERROR, 1, WAIT);
    assertThat(listener.events(Kind.ERROR).get(0).error())
        .hasMessageContaining(API)
        .hasMessageContaining("NXDOMAIN");
  }

  @Test
  void silentServer_timesOut_isReportedOnce_andStillMarksReady() throws Exception {
    try (DatagramSocket silent = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      Registry r =
          new DnsRegistryProvider()
              .create(
                  new RegistryConfig(
                      "dns",
                      "mixed",
                      Map.of(
                          "domain",
                          API,
                          "port",
                          9090,
                          "dnsServer",
                          "127.0.0.1:" + silent.getLocalPort())));
      registry = r;
      r.start(listener);
      listener.awaitCount(Kind.READY, 1, WAIT);
      assertThat(listener.events(Kind.ERROR))
          .singleElement()
          .satisfies(
              e ->
                  assertThat(e.error())
                      .hasMessageContaining(API)
                      .hasMessageContaining("Timed out"));
      assertThat(listener.events(Kind.ENDPOINTS)).isEmpty();
    }
  }

  @Test
  void recoveryWithoutAnyChange_reArmsTheErrorReport() throws Exception {
    dnsmasq.add(API, "192.0.2.1");
    start(API);
    listener.awaitAddresses(HOST, List.of("192.0.2.1:9090"), WAIT);
    dnsmasq.stop();
    listener.awaitCount(Kind.ERROR, 1, WAIT);
    dnsmasq.start();
    // Nothing changed, so nothing is published; the next good round (within 1 + 2 s) marks it
    // healthy.
    Thread.sleep(3_500);
    dnsmasq.stop();
    listener.awaitCount(Kind.ERROR, 2, Duration.ofSeconds(10));
    assertThat(listener.events(Kind.ENDPOINTS)).hasSize(1);
  }
}
