package io.gangway.registry.zookeeper;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * {@code ZooKeeperExtension} runs a real, in-process ZooKeeper per test (curator-test {@link
 * TestingServer}) with a data directory that survives {@link #stop()} / {@link #restart()}, plus a
 * writer client for the test. While the server is stopped, {@link #write} applies a change through
 * a second server started on the same data directory and another port, so the registry under test
 * (which only knows the first port) sees it only after the restart: a change made during an outage.
 */
final class ZooKeeperExtension implements BeforeEachCallback, AfterEachCallback {

  /** A change to apply with a connected client. */
  @FunctionalInterface
  interface Change {
    void apply(CuratorFramework client) throws Exception;
  }

  private @Nullable Path dataDir;
  private @Nullable TestingServer server;
  private @Nullable CuratorFramework writer;
  private boolean running;
  private int port;

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    dataDir = Files.createTempDirectory("gangway-zk");
    port = InstanceSpec.getRandomPort();
    server = new TestingServer(new InstanceSpec(dataDir.toFile(), port, -1, -1, false, -1), true);
    running = true;
    writer = connect(server.getConnectString());
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (writer != null) {
      writer.close();
    }
    if (server != null) {
      server.close();
    }
    if (dataDir != null) {
      try (Stream<Path> files = Files.walk(dataDir)) {
        files.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
      }
    }
  }

  /** Returns whether {@code thread} belongs to the test server (its workers start lazily). */
  static boolean isServerThread(Thread thread) {
    String name = thread.getName();
    return name.startsWith("NIOWorkerThread")
        || name.startsWith("NIOServerCxnFactory")
        || name.startsWith("SyncThread")
        || name.startsWith("ProcessThread")
        || name.startsWith("SessionTracker")
        || name.startsWith("RequestThrottler")
        || name.startsWith("zkservermainrunner")
        || name.startsWith("ConnnectionExpirer");
  }

  /** Returns the port of the server the registry under test connects to. */
  int port() {
    return port;
  }

  /**
   * Applies {@code change} now; when the server is stopped, through a side server on the same data.
   */
  synchronized void write(Change change) throws Exception {
    if (running) {
      change.apply(requireNonNull(writer));
      return;
    }
    InstanceSpec side =
        new InstanceSpec(
            requireNonNull(dataDir).toFile(), InstanceSpec.getRandomPort(), -1, -1, false, -1);
    try (TestingServer sideServer = new TestingServer(side, true);
        CuratorFramework sideClient = connect(sideServer.getConnectString())) {
      change.apply(sideClient);
    }
  }

  /** Stops the server; clients see the connection drop. The data stays. */
  synchronized void stop() throws Exception {
    requireNonNull(server).stop();
    running = false;
  }

  /** Starts the server again on the same port with the same data. */
  synchronized void restart() throws Exception {
    requireNonNull(server).restart();
    running = true;
  }

  private static CuratorFramework connect(String connectString) throws InterruptedException {
    CuratorFramework client =
        CuratorFrameworkFactory.newClient(connectString, 60_000, 5_000, new RetryOneTime(200));
    client.start();
    if (!client.blockUntilConnected(10, TimeUnit.SECONDS)) {
      client.close();
      throw new IllegalStateException("cannot connect to the test ZooKeeper at " + connectString);
    }
    return client;
  }

  private static <T> T requireNonNull(@Nullable T value) {
    if (value == null) {
      throw new IllegalStateException("ZooKeeper fixture not set up");
    }
    return value;
  }
}
