package io.gangway.registry.consul;

import io.gangway.spi.registry.Registry;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.registry.RegistryProvider;

/**
 * {@code ConsulRegistryProvider} handles McpBridge registries of type {@code consul}.
 *
 * <p>Fields: {@code domain} and {@code port} (the agent's HTTP API, port defaults to 8500), {@code
 * consulDatacenter} (required: it is part of every host), {@code consulServiceTag}
 * (case-insensitive filter), {@code consulRefreshInterval} (nanoseconds, default 30 s, at least 10
 * s) and {@code consulToken} (a Gangway field standing in for Higress's {@code authSecretName}
 * Secret key {@code consulToken}). Hosts are {@code <service>.<dc>.consul} with every {@code _}
 * turned into {@code -}.
 *
 * <p>{@link #create} only validates; no thread or connection exists until the registry is started.
 */
public final class ConsulRegistryProvider implements RegistryProvider {

  @Override
  public String type() {
    return "consul";
  }

  @Override
  public Registry create(RegistryConfig config) {
    return new ConsulRegistry(config, ConsulSettings.from(config));
  }
}
