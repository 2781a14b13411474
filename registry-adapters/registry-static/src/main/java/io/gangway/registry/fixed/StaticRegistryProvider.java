package io.gangway.registry.fixed;

import io.gangway.spi.registry.Endpoint;
import io.gangway.spi.registry.Registry;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.registry.RegistryProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code StaticRegistryProvider} handles McpBridge registries of type {@code static}: the {@code
 * domain} field lists the instances as {@code ip:port[,ip:port...]}, IPv6 written {@code
 * [addr]:port}. As in Higress, one unparsable item rejects the whole registry (a partial list would
 * silently shift load).
 */
public final class StaticRegistryProvider implements RegistryProvider {

  @Override
  public String type() {
    return "static";
  }

  @Override
  public Registry create(RegistryConfig config) {
    return new StaticRegistry(config, parse(config.string("domain", "")));
  }

  /** Parses a {@code domain} value; throws {@link IllegalArgumentException} naming the bad item. */
  static List<Endpoint> parse(String domain) {
    List<Endpoint> out = new ArrayList<>();
    for (String raw : domain.split(",", -1)) {
      String item = raw.trim();
      if (item.isEmpty()) {
        continue;
      }
      int colon = item.lastIndexOf(':');
      if (colon <= 0 || colon == item.length() - 1) {
        throw new IllegalArgumentException(
            "domain: '" + item + "' (expected: ip:port or [ipv6]:port)");
      }
      String host = item.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      } else if (host.contains(":")) {
        throw new IllegalArgumentException(
            "domain: '" + item + "' (expected: IPv6 in brackets, [addr]:port)");
      }
      if (!isIpLiteral(host)) {
        throw new IllegalArgumentException(
            "domain: '" + item + "' (expected: an IP address; use a dns registry for names)");
      }
      int port;
      try {
        port = Integer.parseInt(item.substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("domain: '" + item + "' (expected: a numeric port)", e);
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("domain: '" + item + "' (expected: port 1-65535)");
      }
      out.add(Endpoint.of(host, port));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("domain: '' (expected: at least one ip:port)");
    }
    return out;
  }

  private static boolean isIpLiteral(String s) {
    if (s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      for (String part : s.split("\\.", -1)) {
        if (Integer.parseInt(part) > 255) {
          return false;
        }
      }
      return true;
    }
    return s.contains(":") && s.matches("[0-9a-fA-F:.]+");
  }
}
