package io.gangway.registry.dns;

import io.gangway.spi.registry.RegistryConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code DnsSettings} is a validated {@code dns} registry entry. Every error is an {@link
 * IllegalArgumentException} whose message starts with the offending field, so it surfaces as a
 * diagnostic on that field of the McpBridge document.
 *
 * @param domains the names to resolve, in the order written
 * @param port the port every resolved address is published with (the registry {@code port})
 * @param servers the DNS servers to ask; empty means the system resolver ({@code /etc/resolv.conf})
 */
record DnsSettings(List<String> domains, int port, List<InetSocketAddress> servers) {

  /** Higress's rule for each {@code domain} item: at least two labels, an alphabetic last label. */
  static final Pattern DOMAIN =
      Pattern.compile("^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\\.)+[a-zA-Z]{2,63}$");

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  DnsSettings {
    domains = List.copyOf(domains);
    servers = List.copyOf(servers);
  }

  /**
   * Reads and validates {@code domain}, {@code port} and the Gangway extension {@code dnsServer}.
   */
  static DnsSettings parse(RegistryConfig config) {
    List<String> domains = new ArrayList<>();
    for (String item : split(config.strings("domain"))) {
      if (!DOMAIN.matcher(item).matches()) {
        throw new IllegalArgumentException(
            "domain: '"
                + item
                + "' (expected: a host name with at least two labels, e.g. api.example.com)");
      }
      domains.add(item);
    }
    if (domains.isEmpty()) {
      throw new IllegalArgumentException("domain: '' (expected: host[,host...])");
    }
    int port = config.integer("port", 0);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(
          "port: " + config.string("port", "absent") + " (expected: 1-65535)");
    }
    List<InetSocketAddress> servers = new ArrayList<>();
    for (String item : split(config.strings("dnsServer"))) {
      servers.add(server(item));
    }
    return new DnsSettings(domains, port, servers);
  }

  /**
   * Parses {@code ip}, {@code ip:port}, {@code [ipv6]:port} or a bare IPv6 literal; port 53 by
   * default.
   */
  static InetSocketAddress server(String item) {
    String host = item;
    int port = 53;
    if (item.startsWith("[")) {
      int close = item.indexOf(']');
      if (close < 0 || (close < item.length() - 1 && item.charAt(close + 1) != ':')) {
        throw badServer(item);
      }
      host = item.substring(1, close);
      port = close < item.length() - 1 ? parsePort(item, item.substring(close + 2)) : 53;
    } else if (item.indexOf(':') == item.lastIndexOf(':') && item.indexOf(':') > 0) {
      host = item.substring(0, item.indexOf(':'));
      port = parsePort(item, item.substring(item.indexOf(':') + 1));
    }
    if (!IPV4.matcher(host).matches() && !host.matches("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*")) {
      throw badServer(item);
    }
    try {
      // An IP literal: getByName parses it without any lookup.
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw badServer(item);
    }
  }

  private static int parsePort(String item, String text) {
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw badServer(item);
  }

  private static IllegalArgumentException badServer(String item) {
    return new IllegalArgumentException(
        "dnsServer: '"
            + item
            + "' (expected: ip or ip:port, IPv6 as [addr]:port; a name would need DNS to find DNS)");
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
