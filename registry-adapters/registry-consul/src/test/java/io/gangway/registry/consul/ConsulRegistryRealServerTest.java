package io.gangway.registry.consul;

import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * Runs the shared Consul tests against a real agent, opt-in: {@code CONSUL_ADDR} ({@code host:port}
 * or {@code http://host:port}), optional {@code CONSUL_TOKEN} (must be allowed to write the
 * catalog; enables the token tests) and {@code CONSUL_DATACENTER} (default {@code dc1}). Test data
 * is registered on external nodes named {@code gw<random>-n<k>} and removed afterwards.
 */
@EnabledIfEnvironmentVariable(named = "CONSUL_ADDR", matches = ".+")
class ConsulRegistryRealServerTest extends AbstractConsulRegistryTest {

  @Override
  protected ConsulTarget open() {
    String addr = System.getenv("CONSUL_ADDR").trim();
    URI uri = URI.create(addr.contains("://") ? addr : "http://" + addr);
    String token = System.getenv("CONSUL_TOKEN");
    String dc = System.getenv().getOrDefault("CONSUL_DATACENTER", "dc1");
    return new ConsulTarget(
        uri.getHost(),
        uri.getPort() < 0 ? 8500 : uri.getPort(),
        dc,
        token == null || token.isBlank() ? null : token.trim());
  }

  @Override
  protected Duration timeout() {
    return Duration.ofSeconds(20);
  }

  @Override
  protected String mode() {
    return "real server";
  }
}
