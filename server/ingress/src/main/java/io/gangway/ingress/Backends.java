package io.gangway.ingress;

import io.gangway.model.UpstreamProtocol;
import io.gangway.spi.registry.RegistryConfig;
import java.util.List;
import java.util.Optional;

/**
 * {@code Backends} decides which registry host a backend names. Registry hosts follow Higress's
 * naming ({@code <name>.static}, {@code <name>.dns}, {@code <svc>.<group>.<ns>.nacos}, ...). A
 * short name (no dot) is looked up among the registries in their declared order.
 */
final class Backends {

  /** A resolved backend: the registry host and the service port (0 = the service's own). */
  record Target(String host, int port, UpstreamProtocol protocol) {
    Target(String host, int port) {
      this(host, port, UpstreamProtocol.HTTP);
    }
  }

  private final List<RegistryConfig> registries;
  private final ServiceCatalog catalog;
  private boolean usedCatalog;
  // One translation resolves the same few backends for every route; registries and catalog are
  // fixed for this instance, so each (name, port) is resolved once.
  private final java.util.Map<Key, Result> resolved = new java.util.HashMap<>();

  private record Key(String name, int port) {}

  Backends(List<RegistryConfig> registries, ServiceCatalog catalog) {
    this.registries = List.copyOf(registries);
    this.catalog = catalog;
  }

  /**
   * Returns whether a short name was looked up among discovered services (the result can change).
   */
  boolean usedCatalog() {
    return usedCatalog;
  }

  /**
   * Resolves {@code name} (+ {@code port}, 0 for none) to a registry host, or explains why it
   * cannot be resolved in the returned error message.
   */
  Result resolve(String name, int port) {
    Key key = new Key(name, port);
    Result r = resolved.get(key);
    if (r == null) {
      r = lookUp(name, port);
      resolved.put(key, r);
    }
    return r;
  }

  private Result lookUp(String name, int port) {
    if (!name.contains(".")) {
      for (RegistryConfig r : registries) {
        if ((r.type().equals("static") || r.type().equals("dns"))) {
          if (r.name().equals(name)) {
            return lookUp(name + "." + r.type(), port);
          }
          continue;
        }
        usedCatalog = true;
        Optional<String> host = ShortNames.find(r, name, catalog.hosts(r));
        if (host.isPresent()) {
          return Result.ok(new Target(host.get(), port));
        }
      }
      return Result.error(
          "no registry provides service '"
              + name
              + "' (yet); declare an McpBridge registry"
              + " that discovers it, or use a full registry host such as '"
              + name
              + ".static'");
    }
    String suffix = name.substring(name.lastIndexOf('.') + 1);
    switch (suffix) {
      case "static", "dns" -> {
        String registryName = name.substring(0, name.length() - suffix.length() - 1);
        Optional<RegistryConfig> r =
            registries.stream()
                .filter(c -> c.type().equals(suffix) && c.name().equals(registryName))
                .findFirst();
        if (r.isEmpty()) {
          return Result.error(
              "no " + suffix + " registry named '" + registryName + "' in McpBridge 'default'");
        }
        // A static/dns registry may declare its protocol (Higress: http, https, http2, grpc,
        // grpcs).
        UpstreamProtocol protocol =
            UpstreamProtocol.parse(r.get().string("protocol", "http"))
                .orElse(UpstreamProtocol.HTTP);
        if (port != 0) {
          return Result.ok(new Target(name, port, protocol));
        }
        try {
          return Result.ok(new Target(name, r.get().integer("port", 0), protocol));
        } catch (IllegalArgumentException e) {
          // The parser rejects such a registry; never let a bad value escape translation.
          return Result.error(
              "registry " + r.get().key() + " has an invalid port: " + e.getMessage());
        }
      }
      case "nacos", "zookeeper", "consul", "eureka" -> {
        String app = name.substring(0, name.length() - suffix.length() - 1);
        if (suffix.equals("eureka") && !app.equals(app.toUpperCase(java.util.Locale.ROOT))) {
          // Eureka upper-cases application names at registration; this host can never have
          // endpoints.
          return Result.error(
              "host '"
                  + name
                  + "': Eureka application names are upper case, so it never has"
                  + " endpoints; write '"
                  + app.toUpperCase(java.util.Locale.ROOT)
                  + ".eureka'");
        }
        boolean declared = registries.stream().anyMatch(c -> c.type().startsWith(suffix));
        return declared
            ? Result.ok(new Target(name, port))
            : Result.error(
                "host '" + name + "' needs a " + suffix + " registry in McpBridge 'default'");
      }
      default -> {
        return Result.error(
            "host '"
                + name
                + "' is not a registry host (expected a name ending in .static, "
                + ".dns, .nacos, .zookeeper, .consul or .eureka)");
      }
    }
  }

  /** Either a target or an error message. */
  record Result(Target target, String error) {
    static Result ok(Target t) {
      return new Result(t, "");
    }

    static Result error(String message) {
      return new Result(new Target("", 0), message);
    }

    boolean ok() {
      return error.isEmpty();
    }
  }
}
