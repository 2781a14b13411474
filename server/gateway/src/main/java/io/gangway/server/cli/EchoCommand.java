package io.gangway.server.cli;

import io.gangway.echo.EchoServer;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gangway echo}: a demo/test HTTP + WebSocket backend that echoes requests as JSON. */
@Command(
    name = "echo",
    mixinStandardHelpOptions = true,
    description = "Run a demo HTTP/WebSocket echo backend (for the quickstart and tests).")
public final class EchoCommand implements Callable<Integer> {

  @Option(
      names = "--listen",
      description = "host:port (default: ${DEFAULT-VALUE})",
      defaultValue = "127.0.0.1:8001")
  String listen = "127.0.0.1:8001";

  @Option(
      names = "--name",
      description = "backend name reported in responses",
      defaultValue = "echo")
  String name = "echo";

  @Override
  public Integer call() throws Exception {
    int colon = listen.lastIndexOf(':');
    String host = listen.substring(0, colon).replace("[", "").replace("]", "");
    int port = Integer.parseInt(listen.substring(colon + 1));
    try (EchoServer server = EchoServer.start(new InetSocketAddress(host, port), name)) {
      System.out.println("echo backend " + name + " listening on " + host + ":" + server.port());
      new CountDownLatch(1).await();
    }
    return 0;
  }
}
