package io.gangway.bootstrap;

import static java.util.Objects.requireNonNull;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * {@code BootstrapSpec} is everything the bootstrap depends on.
 *
 * @param nodeId Envoy node id; unique per instance, stable across restarts
 * @param nodeCluster Envoy node cluster; instances sharing it get the same config
 * @param xdsAddress where the JVM serves ADS
 * @param xdsPort ADS port
 * @param adminAddress Envoy admin bind address; must be a loopback address
 * @param adminPort Envoy admin port
 * @param delta whether to use the incremental (delta) xDS protocol
 * @param maxDownstreamConnections overload-manager cap on downstream connections
 * @param statsAddress bind address of the stats listener, which serves only {@code GET
 *     /stats/prometheus} (forwarded to the admin API) and 404 for anything else, so it may be bound
 *     beyond loopback
 * @param statsPort port of the stats listener
 */
public record BootstrapSpec(
    String nodeId,
    String nodeCluster,
    String xdsAddress,
    int xdsPort,
    String adminAddress,
    int adminPort,
    boolean delta,
    int maxDownstreamConnections,
    String statsAddress,
    int statsPort) {

  /**
   * Validates; refuses an admin address that is not loopback, so admin is never reachable remotely.
   */
  public BootstrapSpec {
    requireNonNull(nodeId, "nodeId");
    requireNonNull(nodeCluster, "nodeCluster");
    requireNonNull(xdsAddress, "xdsAddress");
    requireNonNull(adminAddress, "adminAddress");
    requireNonNull(statsAddress, "statsAddress");
    if (statsPort == adminPort && statsAddress.equals(adminAddress)) {
      throw new IllegalArgumentException(
          "envoy.stats.port: " + statsPort + " (expected: a port other than envoy.admin.port)");
    }
    if (!isLoopback(adminAddress)) {
      throw new IllegalArgumentException(
          "envoy.admin.address: "
              + adminAddress
              + " (expected: a loopback address such as 127.0.0.1; Envoy's admin API must never be public)");
    }
  }

  private static boolean isLoopback(String address) {
    try {
      return InetAddress.getByName(address).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
