package io.gangway.server.e2e;

import java.io.File;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * A real ZooKeeper server (curator-test) for the bench scripts: {@code ZooKeeperBenchServer PORT
 * DATA_DIR ID INSTANCE_PORT [SERVICES]}. It registers one Spring Cloud ZooKeeper instance of
 * service {@code echo} ({@code /services/echo/ID} → 127.0.0.1:INSTANCE_PORT; Gangway's host {@code
 * echo.services.zookeeper}) and one instance of each of SERVICES more services {@code svc-0…} at
 * the same address, unless the data directory already holds them; prints {@code READY} and serves
 * until killed. {@code bench/resilience.sh} kills it with {@code kill -9} under load and starts it
 * again on the same port and data directory, as an operator's ZooKeeper restarts; {@code
 * bench/scale-live.sh} uses SERVICES for its many-services run.
 */
final class ZooKeeperBenchServer {

  private ZooKeeperBenchServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    File data = new File(args[1]);
    String id = args[2];
    byte[] instance = RegistryOutageEndToEndIT.instance(id, Integer.parseInt(args[3]));
    int services = args.length > 4 ? Integer.parseInt(args[4]) : 0;
    InstanceSpec spec = new InstanceSpec(data, port, -1, -1, false, 1);
    TestingServer server = new TestingServer(spec, true);
    try (CuratorFramework c =
        CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100))) {
      c.start();
      register(c, "/services/echo/" + id, instance);
      for (int k = 0; k < services; k++) {
        register(c, "/services/svc-" + k + "/" + id, instance);
      }
    }
    System.out.println("READY " + server.getPort());
    Thread.currentThread().join();
  }

  private static void register(CuratorFramework c, String path, byte[] instance) throws Exception {
    if (c.checkExists().forPath(path) == null) {
      c.create().creatingParentsIfNeeded().forPath(path, instance);
    }
  }
}
