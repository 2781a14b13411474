package io.gangway.testing.nacos;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The naming state as the 2.x/3.x server keeps it: every <em>owner</em> (a gRPC connection, or one
 * virtual client per instance for the Java and HTTP APIs) publishes at most one instance list per
 * service, which a new registration replaces ({@code Client.addServiceInstance}); deregistration
 * and disconnect remove the owner's list. Services are created by their first registration and stay
 * listed when empty (the server cleans empty services only after about a minute). Observers run on
 * the caller's thread after the lock is released. Thread-safe.
 */
final class NamingStore {

  static final String DEFAULT_GROUP = "DEFAULT_GROUP";
  static final String DEFAULT_CLUSTER = "DEFAULT";

  /** {@code switchDomain.getDefaultPushCacheMillis()}. */
  static final long CACHE_MILLIS = 10_000;

  record ServiceKey(String namespace, String group, String name) {
    ServiceKey {
      requireNonNull(namespace, "namespace");
      requireNonNull(group, "group");
      requireNonNull(name, "name");
    }

    static ServiceKey of(@Nullable String namespace, @Nullable String group, String name) {
      return new ServiceKey(
          ConfigStore.namespace(namespace),
          group == null || group.isBlank() ? DEFAULT_GROUP : group.trim(),
          name);
    }

    String grouped() {
      return group + "@@" + name;
    }
  }

  record InstanceRecord(
      String instanceId,
      String ip,
      int port,
      double weight,
      boolean healthy,
      boolean enabled,
      boolean ephemeral,
      String cluster,
      Map<String, String> metadata) {
    InstanceRecord {
      metadata = Map.copyOf(metadata);
    }

    /** {@code DefaultInstanceIdGenerator}: {@code ip#port#cluster#group@@service}. */
    static String defaultId(String ip, int port, String cluster, ServiceKey service) {
      return ip + "#" + port + "#" + cluster + "#" + service.grouped();
    }
  }

  private final Object lock = new Object();
  // service -> owner -> that owner's published instances (guarded by lock)
  private final Map<ServiceKey, Map<String, List<InstanceRecord>>> published = new HashMap<>();
  private final Set<ServiceKey> services = new LinkedHashSet<>(); // guarded by lock
  // service -> subscribing connection -> its clusters filter (guarded by lock)
  private final Map<ServiceKey, Map<String, String>> subscribers = new HashMap<>();
  private final List<Consumer<ServiceKey>> observers = new CopyOnWriteArrayList<>();

  void onChange(Consumer<ServiceKey> observer) {
    observers.add(observer);
  }

  /** Replaces {@code owner}'s instances of {@code service}. */
  void publish(String owner, ServiceKey service, List<InstanceRecord> instances) {
    List<InstanceRecord> copy = List.copyOf(instances);
    boolean changed;
    synchronized (lock) {
      services.add(service);
      List<InstanceRecord> old =
          published.computeIfAbsent(service, k -> new LinkedHashMap<>()).put(owner, copy);
      changed = !copy.equals(old);
    }
    if (changed) {
      fire(service);
    }
  }

  /** Removes {@code owner}'s instances of {@code service}; returns whether there were any. */
  boolean unpublish(String owner, ServiceKey service) {
    boolean removed;
    synchronized (lock) {
      Map<String, List<InstanceRecord>> byOwner = published.get(service);
      removed = byOwner != null && byOwner.remove(owner) != null;
    }
    if (removed) {
      fire(service);
    }
    return removed;
  }

  boolean publishes(String owner, ServiceKey service) {
    synchronized (lock) {
      return published.getOrDefault(service, Map.of()).containsKey(owner);
    }
  }

  /** A connection ended: its instances and subscriptions go. */
  void dropConnection(String connectionId) {
    List<ServiceKey> changed = new ArrayList<>();
    synchronized (lock) {
      published.forEach(
          (service, byOwner) -> {
            if (byOwner.remove(connectionId) != null) {
              changed.add(service);
            }
          });
      subscribers.values().forEach(byConnection -> byConnection.remove(connectionId));
      subscribers.values().removeIf(Map::isEmpty);
    }
    changed.forEach(this::fire);
  }

  void subscribe(ServiceKey service, String connectionId, String clusters) {
    synchronized (lock) {
      subscribers.computeIfAbsent(service, k -> new HashMap<>()).put(connectionId, clusters);
    }
  }

  void unsubscribe(ServiceKey service, String connectionId) {
    synchronized (lock) {
      Map<String, String> byConnection = subscribers.get(service);
      if (byConnection != null) {
        byConnection.remove(connectionId);
      }
    }
  }

  /** Subscribing connection id to its clusters filter. */
  Map<String, String> subscribers(ServiceKey service) {
    synchronized (lock) {
      return Map.copyOf(subscribers.getOrDefault(service, Map.of()));
    }
  }

  List<InstanceRecord> instances(ServiceKey service) {
    synchronized (lock) {
      List<InstanceRecord> all = new ArrayList<>();
      published.getOrDefault(service, Map.of()).values().forEach(all::addAll);
      return all;
    }
  }

  /** Sorted names (without group) of the services of one namespace and group. */
  List<String> serviceNames(String namespace, String group) {
    synchronized (lock) {
      return services.stream()
          .filter(s -> s.namespace().equals(namespace) && s.group().equals(group))
          .map(ServiceKey::name)
          .sorted()
          .toList();
    }
  }

  /**
   * The {@code ServiceInfo} JSON of {@code ServiceUtil.selectInstancesWithHealthyProtection} with
   * enabled-only filtering: hosts of the given clusters ({@code ""} = all), optionally healthy
   * only. gRPC answers use the plain service name, v1 HTTP answers the grouped one.
   */
  ObjectNode serviceInfo(
      ServiceKey service, String clusters, boolean healthyOnly, boolean groupedName) {
    Set<String> clusterSet =
        clusters.isBlank() ? Set.of() : new LinkedHashSet<>(Arrays.asList(clusters.split(",")));
    ObjectNode info = Json.object();
    info.put("name", groupedName ? service.grouped() : service.name());
    info.put("groupName", service.group());
    info.put("clusters", clusters);
    info.put("cacheMillis", CACHE_MILLIS);
    ArrayNode hosts = info.putArray("hosts");
    for (InstanceRecord instance : instances(service)) {
      boolean clusterMatches = clusterSet.isEmpty() || clusterSet.contains(instance.cluster());
      if (clusterMatches && instance.enabled() && (!healthyOnly || instance.healthy())) {
        hosts.add(instanceJson(instance, service));
      }
    }
    info.put("lastRefTime", System.currentTimeMillis());
    info.put("checksum", "");
    info.put("allIps", false);
    info.put("reachProtectionThreshold", false);
    info.put("valid", true);
    return info;
  }

  /** The JSON of {@code com.alibaba.nacos.api.naming.pojo.Instance}, including derived getters. */
  static ObjectNode instanceJson(InstanceRecord instance, ServiceKey service) {
    ObjectNode node = Json.object();
    node.put("instanceId", instance.instanceId());
    node.put("ip", instance.ip());
    node.put("port", instance.port());
    node.put("weight", instance.weight());
    node.put("healthy", instance.healthy());
    node.put("enabled", instance.enabled());
    node.put("ephemeral", instance.ephemeral());
    node.put("clusterName", instance.cluster());
    node.put("serviceName", service.grouped());
    ObjectNode metadata = node.putObject("metadata");
    instance.metadata().forEach(metadata::put);
    node.put(
        "instanceHeartBeatInterval", longMeta(instance, "preserved.heart.beat.interval", 5000));
    node.put("instanceHeartBeatTimeOut", longMeta(instance, "preserved.heart.beat.timeout", 15000));
    node.put("ipDeleteTimeout", longMeta(instance, "preserved.ip.delete.timeout", 30000));
    node.put(
        "instanceIdGenerator",
        Objects.requireNonNullElse(
            instance.metadata().get("preserved.instance.id.generator"), "simple"));
    return node;
  }

  private static long longMeta(InstanceRecord instance, String key, long defaultValue) {
    String value = instance.metadata().get(key);
    try {
      return value == null ? defaultValue : Long.parseLong(value);
    } catch (NumberFormatException e) {
      return defaultValue;
    }
  }

  private void fire(ServiceKey service) {
    for (Consumer<ServiceKey> observer : observers) {
      observer.accept(service);
    }
  }
}
