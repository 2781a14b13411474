package io.gangway.server.e2e;

import java.io.File;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * A real ZooKeeper server (curator-test) for {@code bench/resilience.sh}, which kills it with
 * {@code kill -9} under load and starts it again on the same port and data directory, as an
 * operator's ZooKeeper restarts: {@code ZooKeeperBenchServer PORT DATA_DIR ID INSTANCE_PORT}. It
 * registers one Spring Cloud ZooKeeper instance of service {@code echo} ({@code /services/echo/ID}
 * → 127.0.0.1:INSTANCE_PORT; Gangway's host {@code echo.services.zookeeper}) unless the data
 * directory already holds it, prints {@code READY} and serves until killed.
 */
final class ZooKeeperBenchServer {

  private ZooKeeperBenchServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    File data = new File(args[1]);
    String path = "/services/echo/" + args[2];
    InstanceSpec spec = new InstanceSpec(data, port, -1, -1, false, 1);
    TestingServer server = new TestingServer(spec, true);
    try (CuratorFramework c =
        CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100))) {
      c.start();
      if (c.checkExists().forPath(path) == null) {
        c.create()
            .creatingParentsIfNeeded()
            .forPath(path, RegistryOutageEndToEndIT.instance(args[2], Integer.parseInt(args[3])));
      }
    }
    System.out.println("READY " + server.getPort());
    Thread.currentThread().join();
  }
}
