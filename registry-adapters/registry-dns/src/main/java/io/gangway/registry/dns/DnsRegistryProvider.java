package io.gangway.registry.dns;

import io.gangway.spi.registry.Registry;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.registry.RegistryProvider;

/**
 * {@code DnsRegistryProvider} handles McpBridge registries of type {@code dns}: {@code domain}
 * lists the names ({@code host[,host...]}, each with at least two labels, as Higress requires),
 * {@code port} is the port of every resolved address, and the Gangway extension {@code dnsServer}
 * ({@code ip[:port]}, IPv6 as {@code [addr]:port}, several comma-separated) picks the resolver
 * instead of the system one.
 *
 * <p>{@link #create} validates only and throws {@link IllegalArgumentException} naming the field;
 * the registry resolves nothing until started. Stateless and thread-safe.
 */
public final class DnsRegistryProvider implements RegistryProvider {

  @Override
  public String type() {
    return "dns";
  }

  @Override
  public Registry create(RegistryConfig config) {
    return new DnsRegistry(config, DnsSettings.parse(config));
  }
}
