package io.gangway.registry.dns;

import io.gangway.registry.testkit.DnsmasqExtension;
import io.gangway.registry.testkit.RegistryContractTest;
import io.gangway.spi.registry.RegistryConfig;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The registry contract against a real dnsmasq: one name, A records, TTL 1 s. */
class DnsRegistryContractIT extends RegistryContractTest {

  private static final String NAME = "api." + DnsmasqExtension.ZONE;

  @RegisterExtension final DnsmasqExtension dnsmasq = new DnsmasqExtension();

  @Override
  protected RegistryConfig registryConfig() {
    return new RegistryConfig(
        "dns",
        "backend",
        Map.of("domain", NAME, "port", instancePort(), "dnsServer", "127.0.0.1:" + dnsmasq.port()));
  }

  @Override
  protected String serviceHost() {
    return "backend.dns";
  }

  @Override
  protected void addInstance(String address, int port) throws Exception {
    dnsmasq.add(NAME, address);
  }

  @Override
  protected void removeInstance(String address, int port) throws Exception {
    dnsmasq.remove(NAME, address);
  }

  @Override
  protected void makeUnreachable() throws Exception {
    dnsmasq.stop();
  }

  @Override
  protected void makeReachable() throws Exception {
    dnsmasq.start();
  }

  /**
   * A missing record is NXDOMAIN, which DNS cannot tell from a broken zone: the last list stays.
   */
  @Override
  protected boolean distinguishesDeregistration() {
    return false;
  }

  /** dnsjava's NIO selector thread is static and shared by every resolver in the JVM. */
  @Override
  protected boolean isSharedThread(Thread thread) {
    return thread.getName().startsWith("dnsjava");
  }
}
