package io.gangway.server.registry;

import io.gangway.spi.registry.Endpoint;
import io.gangway.spi.registry.RegistryConfig;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code ControlPorts} are this instance's own control ports (Envoy admin, xDS, Gangway admin). A
 * backend on one of them, on this host, would put {@code /config_dump} or {@code /quitquitquit} on
 * the public listener, so a static registry naming one is refused (an error at the McpBridge entry)
 * and a discovered endpoint on one (DNS or a registry can return {@code 127.0.0.1} too) is dropped
 * with a warning. Immutable and thread-safe.
 */
public final class ControlPorts {

  private static final ControlPorts NONE = new ControlPorts(Map.of());

  private final Map<Integer, String> ports;

  private ControlPorts(Map<Integer, String> ports) {
    this.ports = Map.copyOf(ports);
  }

  /** Returns a set with no reserved port (translate/validate without settings). */
  public static ControlPorts none() {
    return NONE;
  }

  /**
   * Returns the set of {@code port → what it is} (e.g. {@code 15000 → "Envoy admin
   * (envoy.admin.port)"}).
   */
  public static ControlPorts of(Map<Integer, String> ports) {
    return new ControlPorts(new TreeMap<>(ports));
  }

  /**
   * Returns what {@code address:port} is when it is one of this host's control ports, else {@code
   * null}.
   */
  @org.jspecify.annotations.Nullable
  String owner(String address, int port) {
    String what = ports.get(port);
    return what != null && isThisHost(address) ? what : null;
  }

  /** Returns what {@code e} points at when it is a control port of this host, else {@code null}. */
  @org.jspecify.annotations.Nullable
  String owner(Endpoint e) {
    return owner(e.address(), e.port());
  }

  /**
   * Returns an error for a static registry whose {@code domain} lists a control port of this host,
   * or "" when there is none.
   */
  String check(RegistryConfig config) {
    if (ports.isEmpty() || !config.type().equals("static")) {
      return "";
    }
    for (String entry : config.string("domain", "").split(",", -1)) {
      String e = entry.trim();
      int colon = e.lastIndexOf(':');
      if (colon <= 0) {
        continue;
      }
      String host = e.substring(0, colon).replace("[", "").replace("]", "");
      int port;
      try {
        port = Integer.parseInt(e.substring(colon + 1).trim());
      } catch (NumberFormatException ex) {
        continue; // the adapter reports a malformed domain itself
      }
      String what = owner(host, port);
      if (what != null) {
        return "domain "
            + e
            + " is this gateway's own "
            + what
            + " port; a route to it would expose it on the "
            + "public listener, so it is refused (point the registry at the backend's own address and port)";
      }
    }
    return "";
  }

  private static boolean isThisHost(String address) {
    InetAddress a;
    try {
      // Only literals and "localhost": a name is resolved by the adapter; its endpoints are checked
      // as IPs.
      if (!address.equalsIgnoreCase("localhost") && !address.matches("[0-9a-fA-F:.]+")) {
        return false;
      }
      a = InetAddress.getByName(address);
    } catch (UnknownHostException e) {
      return false;
    }
    if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
      return true;
    }
    try {
      return NetworkInterface.getByInetAddress(a) != null;
    } catch (SocketException e) {
      return false;
    }
  }
}
