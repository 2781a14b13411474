package io.gangway.echo;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Parsed arguments of {@link EchoServer#main}: {@code --listen HOST:PORT}... and {@code --name}.
 */
record CommandLine(List<Listen> listens, String name) {

  static final String USAGE = "usage: EchoServer [--listen HOST:PORT]... [--name NAME]";
  private static final Listen DEFAULT_LISTEN = new Listen("127.0.0.1", 0);
  private static final String DEFAULT_NAME = "echo";

  /** One {@code --listen} value. {@code host} is kept as typed so the start line echoes it back. */
  record Listen(String host, int port) {

    InetSocketAddress address() {
      InetSocketAddress address = new InetSocketAddress(host, port);
      if (address.isUnresolved()) {
        throw new IllegalArgumentException("cannot resolve host " + host);
      }
      return address;
    }

    String display(int actualPort) {
      return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + actualPort;
    }
  }

  /**
   * Parses {@code --listen HOST:PORT}, {@code --listen=HOST:PORT}, {@code --name NAME} and {@code
   * --name=NAME}.
   *
   * @throws IllegalArgumentException with a message fit for the user on any malformed argument
   */
  static CommandLine parse(String[] args) {
    List<Listen> listens = new ArrayList<>();
    String name = DEFAULT_NAME;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      int eq = arg.indexOf('=');
      String option = eq >= 0 ? arg.substring(0, eq) : arg;
      String value;
      if (eq >= 0) {
        value = arg.substring(eq + 1);
      } else if (i + 1 < args.length) {
        value = args[++i];
      } else {
        throw new IllegalArgumentException("missing value for " + option);
      }
      switch (option) {
        case "--listen" -> listens.add(parseListen(value));
        case "--name" -> name = value;
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    EchoServer.checkName(name);
    return new CommandLine(
        listens.isEmpty() ? List.of(DEFAULT_LISTEN) : List.copyOf(listens), name);
  }

  /**
   * Accepts {@code host:port}, {@code [v6]:port} and a bare {@code :port} meaning all interfaces.
   */
  static Listen parseListen(String value) {
    int colon = value.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("--listen expects HOST:PORT, got " + value);
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (host.isEmpty()) {
      host = "0.0.0.0";
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--listen port is not a number: " + value, e);
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("--listen port out of range: " + value);
    }
    return new Listen(host, port);
  }
}
