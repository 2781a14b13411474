package io.gangway.registry.consul;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * {@code DoubleDatacenter} is the catalog of one datacenter of {@link ConsulDouble}: nodes, service
 * instances and checks, each carrying the raft index of its creation and last change, as Consul's
 * state store does. Every write takes the next index and wakes blocked queries.
 *
 * <p>Indexes, as Consul reports them: {@code /v1/catalog/services} carries the index of the last
 * change to any service registration; {@code /v1/health/service/<name>} carries the index of the
 * last change to that service's instances, their checks or their nodes (for a service never seen,
 * the services index). Thread-safe: everything is guarded by this object's monitor.
 */
final class DoubleDatacenter {

  record Node(String name, String id, String address, long createIndex, long modifyIndex) {}

  record Instance(
      String node,
      String id,
      String service,
      List<String> tags,
      String address,
      Map<String, String> meta,
      int port,
      long createIndex,
      long modifyIndex) {}

  record Check(
      String node,
      String checkId,
      String name,
      String status,
      String serviceId,
      String serviceName,
      long createIndex,
      long modifyIndex) {}

  /** One row of a health answer: an instance with its node and every check that applies to it. */
  record Entry(Node node, Instance instance, List<Check> checks) {
    boolean passing() {
      return checks.stream().allMatch(c -> c.status().equals("passing"));
    }
  }

  final String name;
  private long index = 1;
  private long servicesIndex = 1;
  private final Map<String, Node> nodes = new TreeMap<>();
  private final Map<String, Instance> instances = new TreeMap<>(); // node/id
  private final Map<String, Check> checks = new TreeMap<>(); // node/checkId
  private final Map<String, Long> serviceIndex = new HashMap<>();
  private boolean released;

  DoubleDatacenter(String name) {
    this.name = name;
    // Every Consul catalog lists its servers as the "consul" service, with a passing serfHealth
    // check.
    String server = "consul-server-" + name;
    register(server, "127.0.0.1", "consul", "consul", "", 8300, List.of(), Map.of());
    registerCheck(server, "serfHealth", "Serf Health Status", "passing", "");
  }

  /** Registers (or updates) a node and, when {@code serviceId} is set, a service instance on it. */
  synchronized void register(
      String node,
      String nodeAddress,
      @Nullable String serviceId,
      @Nullable String service,
      @Nullable String address,
      int port,
      List<String> tags,
      Map<String, String> meta) {
    long at = next();
    Node old = nodes.get(node);
    if (old == null || !old.address().equals(nodeAddress)) {
      nodes.put(
          node,
          new Node(
              node,
              old == null ? UUID.randomUUID().toString() : old.id(),
              nodeAddress,
              old == null ? at : old.createIndex(),
              at));
      touchNode(node, at);
    }
    if (serviceId != null && service != null) {
      Instance prev = instances.get(node + "/" + serviceId);
      instances.put(
          node + "/" + serviceId,
          new Instance(
              node,
              serviceId,
              service,
              List.copyOf(tags),
              address == null ? "" : address,
              Map.copyOf(meta),
              port,
              prev == null ? at : prev.createIndex(),
              at));
      if (prev != null && !prev.service().equals(service)) {
        serviceIndex.put(prev.service(), at);
      }
      serviceIndex.put(service, at);
      servicesIndex = at;
    }
    notifyAll();
  }

  /** Registers or updates a check; an empty {@code serviceId} makes it a node check. */
  synchronized void registerCheck(
      String node, String checkId, String checkName, String status, String serviceId) {
    if (!nodes.containsKey(node)) {
      throw new IllegalArgumentException("unknown node " + node);
    }
    String serviceName = "";
    if (!serviceId.isEmpty()) {
      Instance i = instances.get(node + "/" + serviceId);
      if (i == null) {
        throw new IllegalArgumentException("unknown service " + serviceId + " on node " + node);
      }
      serviceName = i.service();
    }
    long at = next();
    Check prev = checks.get(node + "/" + checkId);
    checks.put(
        node + "/" + checkId,
        new Check(
            node,
            checkId,
            checkName,
            status,
            serviceId,
            serviceName,
            prev == null ? at : prev.createIndex(),
            at));
    if (serviceId.isEmpty()) {
      touchNode(node, at);
    } else {
      serviceIndex.put(serviceName, at);
    }
    notifyAll();
  }

  /** Marks every check critical, as a restarted agent restores TTL checks (one index for all). */
  synchronized void allChecksCritical() {
    long at = next();
    checks.replaceAll(
        (k, c) ->
            new Check(
                c.node(),
                c.checkId(),
                c.name(),
                "critical",
                c.serviceId(),
                c.serviceName(),
                c.createIndex(),
                at));
    instances.values().forEach(i -> serviceIndex.put(i.service(), at));
    notifyAll();
  }

  /**
   * Removes a node with everything on it, or one service instance (and its checks), or one check.
   */
  synchronized boolean deregister(
      String node, @Nullable String serviceId, @Nullable String checkId) {
    if (!nodes.containsKey(node)) {
      return false;
    }
    long at = next();
    if (serviceId != null) {
      Instance gone = instances.remove(node + "/" + serviceId);
      checks.values().removeIf(c -> c.node().equals(node) && c.serviceId().equals(serviceId));
      if (gone != null) {
        serviceIndex.put(gone.service(), at);
        servicesIndex = at;
      }
    } else if (checkId != null) {
      Check gone = checks.remove(node + "/" + checkId);
      if (gone != null && !gone.serviceName().isEmpty()) {
        serviceIndex.put(gone.serviceName(), at);
      } else {
        touchNode(node, at);
      }
    } else {
      touchNode(node, at);
      instances.values().removeIf(i -> i.node().equals(node));
      checks.values().removeIf(c -> c.node().equals(node));
      nodes.remove(node);
      servicesIndex = at;
    }
    notifyAll();
    return true;
  }

  /** Returns service name → union of tags, as {@code /v1/catalog/services} does. */
  synchronized Map<String, Set<String>> services() {
    Map<String, Set<String>> out = new TreeMap<>();
    for (Instance i : instances.values()) {
      out.computeIfAbsent(i.service(), k -> new TreeSet<>()).addAll(i.tags());
    }
    return out;
  }

  synchronized long servicesIndex() {
    return servicesIndex;
  }

  synchronized long serviceIndex(String service) {
    return serviceIndex.getOrDefault(service, servicesIndex);
  }

  /**
   * Returns the health rows of {@code service}, only fully passing ones when {@code passingOnly}.
   */
  synchronized List<Entry> health(String service, boolean passingOnly) {
    List<Entry> out = new ArrayList<>();
    for (Instance i : instances.values()) {
      if (!i.service().equals(service)) {
        continue;
      }
      List<Check> applying =
          checks.values().stream()
              .filter(
                  c ->
                      c.node().equals(i.node())
                          && (c.serviceId().isEmpty() || c.serviceId().equals(i.id())))
              .toList();
      Entry e = new Entry(nodes.get(i.node()), i, applying);
      if (!passingOnly || e.passing()) {
        out.add(e);
      }
    }
    return out;
  }

  /**
   * Holds the caller while {@code current} is at most {@code after}, as a blocking query does,
   * until the deadline or until {@link #release} (the server going down).
   */
  synchronized void await(LongSupplier current, long after, long deadlineNanos)
      throws InterruptedException {
    while (!released && current.getAsLong() <= after) {
      long left = deadlineNanos - System.nanoTime();
      if (left <= 0) {
        return;
      }
      wait(Math.max(1, left / 1_000_000));
    }
  }

  /**
   * Wakes every held query for good (the server is stopping) or re-arms blocking ({@code false}).
   */
  synchronized void release(boolean releasedNow) {
    released = releasedNow;
    notifyAll();
  }

  private long next() {
    return ++index;
  }

  private void touchNode(String node, long at) {
    for (Instance i : instances.values()) {
      if (i.node().equals(node)) {
        serviceIndex.put(i.service(), at);
      }
    }
  }
}
