package io.gangway.registry.zookeeper;

import io.gangway.spi.registry.RegistryConfig;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code ZooKeeperSettings} is a validated {@code zookeeper} registry entry. Every error is an
 * {@link IllegalArgumentException} whose message starts with the offending field.
 *
 * @param connectString the Curator connect string built from {@code domain} and {@code port}
 * @param springRoots the Spring Cloud roots: {@code /services} first, then {@code zkServicesPath}
 */
record ZooKeeperSettings(String connectString, List<String> springRoots) {

  /** The Dubbo root; always watched. */
  static final String DUBBO_ROOT = "/dubbo";

  /** The default Spring Cloud root; always watched. */
  static final String SERVICES_ROOT = "/services";

  ZooKeeperSettings {
    springRoots = List.copyOf(springRoots);
  }

  /**
   * Reads {@code domain} ({@code host[,host...]}, an item may carry its own {@code :port}), {@code
   * port} (default 2181) and {@code zkServicesPath} (absolute paths; {@code /dubbo} and {@code
   * /services} are dropped when repeated, as Higress does).
   */
  static ZooKeeperSettings parse(RegistryConfig config) {
    int port = config.integer("port", 2181);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
    }
    List<String> servers = new ArrayList<>();
    for (String item : split(config.strings("domain"))) {
      if (!item.matches("[A-Za-z0-9._-]+(:\\d{1,5})?|\\[[0-9A-Fa-f:.]+](:\\d{1,5})?")) {
        throw new IllegalArgumentException(
            "domain: '" + item + "' (expected: host[:port][,host[:port]...])");
      }
      boolean hasPort = item.startsWith("[") ? item.contains("]:") : item.contains(":");
      servers.add(hasPort ? item : item + ":" + port);
    }
    if (servers.isEmpty()) {
      throw new IllegalArgumentException(
          "domain: '' (expected: the ZooKeeper host, e.g. zk.example.com)");
    }
    Set<String> roots = new LinkedHashSet<>(List.of(SERVICES_ROOT));
    for (String item : split(config.strings("zkServicesPath"))) {
      String root = normalise(item);
      if (!root.equals(DUBBO_ROOT)) {
        roots.add(root);
      }
    }
    return new ZooKeeperSettings(String.join(",", servers), List.copyOf(roots));
  }

  /** Returns {@code path} without a trailing slash; throws naming {@code zkServicesPath}. */
  static String normalise(String path) {
    String p =
        path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (!p.startsWith("/") || p.contains("//") || p.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(
          "zkServicesPath: '" + path + "' (expected: an absolute path, e.g. /a/b)");
    }
    return p;
  }

  private static List<String> split(List<String> values) {
    List<String> out = new ArrayList<>();
    for (String value : values) {
      for (String part : value.split(",", -1)) {
        if (!part.isBlank()) {
          out.add(part.trim());
        }
      }
    }
    return out;
  }
}
