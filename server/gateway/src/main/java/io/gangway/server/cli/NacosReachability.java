package io.gangway.server.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * {@code NacosReachability} answers, before a CLI command creates a nacos-client, whether any
 * server of {@code --server} accepts TCP connections on its main port and on the gRPC port (main +
 * 1000, or {@code -Dnacos.server.grpc.port.offset}). Why: against an unreachable server
 * nacos-client does not fail, it answers a read from its (empty) local cache and a publish with
 * {@code false}, which the commands would report as "does not exist" or "changed concurrently". A
 * TCP connect is all it checks; the protocol is nacos-client's.
 */
final class NacosReachability {

  private NacosReachability() {}

  /**
   * Returns null when some server of {@code serverList} ({@code host:port[,host:port]}, optionally
   * with {@code http://}) accepts connections on both ports within {@code timeoutMs} each, else the
   * reason for the first server, e.g. {@code connection refused}.
   */
  static @Nullable String problem(String serverList, int timeoutMs) {
    List<String> problems = new ArrayList<>();
    int offset = Integer.getInteger("nacos.server.grpc.port.offset", 1000);
    for (String server : serverList.split(",", -1)) {
      if (server.isBlank()) {
        continue;
      }
      InetSocketAddress main;
      try {
        main = address(server.trim());
      } catch (IllegalArgumentException e) {
        problems.add("not a host:port (" + server.trim() + ")");
        continue;
      }
      String reason = connect(main, timeoutMs);
      if (reason == null) {
        int grpcPort = main.getPort() + offset;
        String grpc = connect(new InetSocketAddress(main.getHostString(), grpcPort), timeoutMs);
        if (grpc == null) {
          return null;
        }
        reason = "gRPC port " + grpcPort + ": " + grpc;
      }
      problems.add(reason);
    }
    return problems.isEmpty() ? "no server address" : problems.get(0);
  }

  private static InetSocketAddress address(String server) {
    String s = server.replaceFirst("^(?i)https?://", "");
    int slash = s.indexOf('/');
    if (slash >= 0) {
      s = s.substring(0, slash);
    }
    URI uri = URI.create("tcp://" + s);
    if (uri.getHost() == null) {
      throw new IllegalArgumentException(server);
    }
    return InetSocketAddress.createUnresolved(
        uri.getHost(), uri.getPort() < 0 ? 8848 : uri.getPort());
  }

  private static @Nullable String connect(InetSocketAddress unresolved, int timeoutMs) {
    InetSocketAddress target =
        new InetSocketAddress(unresolved.getHostString(), unresolved.getPort());
    if (target.isUnresolved()) {
      return "unknown host " + unresolved.getHostString();
    }
    try (Socket socket = new Socket()) {
      socket.connect(target, timeoutMs);
      return null;
    } catch (SocketTimeoutException e) {
      return "no answer within " + timeoutMs + " ms";
    } catch (ConnectException e) {
      return lower(e, "connection refused");
    } catch (NoRouteToHostException | UnknownHostException e) {
      return lower(e, "no route to host");
    } catch (IOException e) {
      return lower(e, e.getClass().getSimpleName());
    }
  }

  private static String lower(IOException e, String fallback) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return fallback;
    }
    // "Connection refused (Connection refused)" on some JDKs
    int paren = m.indexOf(" (");
    return (paren > 0 ? m.substring(0, paren) : m).toLowerCase(Locale.ROOT);
  }
}
