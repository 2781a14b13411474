package io.gangway.ingress;

import io.gangway.spi.registry.RegistryConfig;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ShortNames} matches a short service name against the hosts one registry discovers, using
 * that registry type's host format (Higress's): {@code nacos*}: {@code <name>.<group>.<ns>.nacos}
 * for each configured group in order; {@code zookeeper}: Spring Cloud {@code
 * <name>.<root>.zookeeper}; {@code consul}: {@code <name>.<dc>.consul} ({@code _} → {@code -});
 * {@code eureka}: {@code <NAME>.eureka}, case-insensitively. Dubbo interface hosts are never
 * matched by a short name.
 */
final class ShortNames {

  private ShortNames() {}

  static Optional<String> find(RegistryConfig r, String name, Set<String> hosts) {
    if (hosts.isEmpty()) {
      return Optional.empty();
    }
    switch (r.type()) {
      case "nacos", "nacos2", "nacos3" -> {
        String ns =
            first(r.string("nacosNamespace", ""), r.string("nacosNamespaceId", ""), "public");
        for (String group : r.strings("nacosGroups")) {
          String host = name + "." + (group + "." + ns + ".nacos").replace('_', '-');
          if (hosts.contains(host)) {
            return Optional.of(host);
          }
        }
        return Optional.empty();
      }
      case "zookeeper" -> {
        return hosts.stream()
            .filter(h -> h.startsWith(name + ".") && h.endsWith(".zookeeper") && !h.contains(":"))
            .sorted()
            .findFirst();
      }
      case "consul" -> {
        String host = (name + "." + r.string("consulDatacenter", "") + ".consul").replace('_', '-');
        return hosts.contains(host) ? Optional.of(host) : Optional.empty();
      }
      case "eureka" -> {
        String want = name.toUpperCase(Locale.ROOT) + ".eureka";
        return hosts.stream()
            .filter(h -> h.toUpperCase(Locale.ROOT).equals(want.toUpperCase(Locale.ROOT)))
            .findFirst();
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  private static String first(String... values) {
    return List.of(values).stream().filter(v -> v != null && !v.isEmpty()).findFirst().orElse("");
  }
}
