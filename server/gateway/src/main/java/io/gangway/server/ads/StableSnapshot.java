package io.gangway.server.ads;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import com.google.common.hash.Hasher;
import com.google.common.hash.Hashing;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.SnapshotResources;
import io.envoyproxy.controlplane.cache.VersionedResource;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.gangway.xds.XdsResources;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code StableSnapshot} is a snapshot whose versions are content hashes, per resource and per
 * request. java-control-plane's own factory versions resources by {@code Object.hashCode()}, which
 * changes with every JVM; here an unchanged resource keeps its version across restarts, so a
 * restarted control plane re-sends nothing to a reconnecting Envoy (delta xDS compares these), and
 * a state-of-the-world EDS request for some clusters is versioned by exactly those clusters.
 */
@SuppressWarnings(
    "unchecked") // see versionedResources: the two base classes disagree on its generic type
final class StableSnapshot extends Snapshot {

  private final SnapshotResources<Cluster> clusters;
  private final SnapshotResources<ClusterLoadAssignment> endpoints;
  private final SnapshotResources<Listener> listeners;
  private final SnapshotResources<RouteConfiguration> routes;
  private final SnapshotResources<Secret> secrets;

  StableSnapshot(XdsResources r) {
    this(r, r.clusters());
  }

  /**
   * Versions {@code r}, each endpoints resource by its content and by the content of its cluster in
   * {@code endpointBasis} (or in {@code r}, for a cluster the basis lacks). Envoy re-creates a
   * cluster whose CDS resource changed and warms it until its endpoints arrive again; a delta
   * server sends them only when their version changes, so without the cluster in their version a
   * cluster-only edit (backend-protocol, load balancing, upstream TLS) waited for Envoy's 15 s
   * initial-fetch timeout. {@link Rollout} versions an intermediate step's endpoints by the
   * clusters still published, so they change, and are re-sent, only in the step after Envoy ACKed
   * the new clusters.
   */
  StableSnapshot(XdsResources r, List<Cluster> endpointBasis) {
    this.clusters = resources(r.clusters(), Cluster::getName);
    Map<String, Cluster> basis = new TreeMap<>();
    r.clusters().forEach(c -> basis.put(c.getName(), c));
    endpointBasis.forEach(c -> basis.put(c.getName(), c));
    this.endpoints =
        resources(
            r.endpoints(),
            ClusterLoadAssignment::getClusterName,
            cla ->
                versioned(cla)
                    + java.util.Optional.ofNullable(basis.get(cla.getClusterName()))
                        .map(StableSnapshot::hash)
                        .orElse(""));
    this.listeners = resources(r.listeners(), Listener::getName);
    this.routes = resources(r.routes(), RouteConfiguration::getName);
    this.secrets = resources(r.secrets(), Secret::getName);
  }

  @Override
  public SnapshotResources<Cluster> clusters() {
    return clusters;
  }

  @Override
  public SnapshotResources<ClusterLoadAssignment> endpoints() {
    return endpoints;
  }

  @Override
  public SnapshotResources<Listener> listeners() {
    return listeners;
  }

  @Override
  public SnapshotResources<RouteConfiguration> routes() {
    return routes;
  }

  @Override
  public SnapshotResources<Secret> secrets() {
    return secrets;
  }

  // The two Snapshot base classes declare this method with incompatible generic return types; only
  // the erased type overrides both. Same content as the base implementation.
  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Map versionedResources(Resources.ResourceType type) {
    return switch (type) {
      case CLUSTER -> (Map) clusters.versionedResources();
      case ENDPOINT -> (Map) endpoints.versionedResources();
      case LISTENER -> (Map) listeners.versionedResources();
      case ROUTE -> (Map) routes.versionedResources();
      case SECRET -> (Map) secrets.versionedResources();
    };
  }

  /**
   * Returns the content hash of one resource: deterministic protobuf bytes, SHA-256, 16 hex digits.
   * The bytes are kept ({@link PackedResources}) and are what the discovery server sends, so a
   * resource is serialised once, not once to version it and again to send it.
   */
  static String hash(Message m) {
    return hash(m, false);
  }

  /** Versions a resource this snapshot serves: its bytes are kept to be sent. */
  private static String versioned(Message m) {
    return hash(m, true);
  }

  private static String hash(Message m, boolean keep) {
    if (m instanceof Cluster) {
      String known = CLUSTER_HASHES.getIfPresent(m);
      if (known != null && (!keep || PackedResources.kept(m))) {
        return known;
      }
    }
    byte[] bytes = m instanceof RouteConfiguration rc ? bytes(rc, keep) : deterministic(m);
    if (keep) {
      PackedResources.keep(m, bytes);
    }
    String hash = Hashing.sha256().hashBytes(bytes).toString().substring(0, 16);
    if (m instanceof Cluster) {
      CLUSTER_HASHES.put(m, hash);
    }
    return hash;
  }

  // Cluster hashes by instance: XdsTranslator hands back the same Cluster for an unchanged one, and
  // each publish hashes every cluster at least twice (its own version, its endpoints' version), so
  // 5,000 unchanged clusters cost a lookup each instead of a serialisation and a SHA-256.
  private static final Cache<Message, String> CLUSTER_HASHES =
      CacheBuilder.newBuilder().weakKeys().build();

  private static byte[] deterministic(Message m) {
    byte[] bytes = new byte[m.getSerializedSize()];
    try {
      CodedOutputStream out = CodedOutputStream.newInstance(bytes);
      out.useDeterministicSerialization();
      m.writeTo(out);
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes;
  }

  // Serialised virtual hosts by instance: XdsTranslator hands back the same VirtualHost for an
  // unchanged host, so an edit among 100,000 routes serialises the hosts it changed, not all.
  private static final Cache<VirtualHost, byte[]> VIRTUAL_HOSTS =
      CacheBuilder.newBuilder().weakKeys().build();

  /**
   * Returns a route table's bytes: its fields but the virtual hosts, then each virtual host as
   * serialised before (protobuf accepts fields in any order; a repeated field's items keep theirs),
   * so equal tables give equal bytes whichever instances they are built of.
   */
  private static byte[] bytes(RouteConfiguration rc, boolean keep) {
    byte[] rest = deterministic(rc.toBuilder().clearVirtualHosts().build());
    List<byte[]> hosts = new ArrayList<>(rc.getVirtualHostsCount());
    int size = rest.length;
    int field = RouteConfiguration.VIRTUAL_HOSTS_FIELD_NUMBER;
    for (VirtualHost v : rc.getVirtualHostsList()) {
      byte[] b = VIRTUAL_HOSTS.getIfPresent(v);
      if (b == null) {
        b = deterministic(v);
        if (keep) {
          VIRTUAL_HOSTS.put(v, b);
        }
      }
      hosts.add(b);
      size += CodedOutputStream.computeByteArraySize(field, b);
    }
    byte[] out = new byte[size];
    try {
      CodedOutputStream o = CodedOutputStream.newInstance(out);
      o.writeRawBytes(rest);
      for (byte[] b : hosts) {
        o.writeByteArray(field, b); // tag, length, the virtual host's bytes
      }
      o.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static <T extends Message> SnapshotResources<T> resources(
      List<T> items, java.util.function.Function<T, String> name) {
    return resources(items, name, StableSnapshot::versioned);
  }

  private static <T extends Message> SnapshotResources<T> resources(
      List<T> items,
      java.util.function.Function<T, String> name,
      java.util.function.Function<T, String> version) {
    Map<String, String> versions = new TreeMap<>();
    List<VersionedResource<T>> versioned = new ArrayList<>();
    for (T item : items) {
      String v = version.apply(item);
      versions.put(name.apply(item), v);
      versioned.add(VersionedResource.create(item, v));
    }
    return SnapshotResources.create(
        versioned,
        names -> {
          Hasher h = Hashing.sha256().newHasher();
          if (names.isEmpty()) {
            versions.forEach(
                (n, v) ->
                    h.putString(n, StandardCharsets.UTF_8).putString(v, StandardCharsets.UTF_8));
          } else {
            names.stream()
                .sorted()
                .forEach(
                    n ->
                        h.putString(n, StandardCharsets.UTF_8)
                            .putString(versions.getOrDefault(n, "-"), StandardCharsets.UTF_8));
          }
          return h.hash().toString().substring(0, 16);
        });
  }
}
