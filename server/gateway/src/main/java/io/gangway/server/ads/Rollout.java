package io.gangway.server.ads;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.gangway.xds.Consistency;
import io.gangway.xds.XdsResources;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * {@code Rollout} splits one change into make-before-break steps, because Envoy applies each xDS
 * type on its own: a route table that names a cluster Envoy does not have yet, or still names one
 * it just removed, answers {@code 503 NC}. The steps, each published only after every Envoy ACKed
 * the previous one:
 *
 * <ol>
 *   <li>add: the current listeners and routes, with the target's clusters added (and changed ones
 *       updated), wait for the CDS and EDS ACKs (a new EDS cluster warms when its endpoints arrive;
 *       a CDS ACK alone came too early under churn: {@code bench/route-churn.sh} counted 188 NC);
 *   <li>switch: the target's listeners and routes, keeping the clusters they no longer use, wait
 *       for the LDS and RDS ACKs;
 *   <li>update (when a cluster both have changed): the target's clusters, the current listeners and
 *       routes, wait until they were sent (Envoy ACKs CDS only once they are warm); Envoy
 *       re-creates a changed cluster and warms it until its endpoints arrive, so their versions
 *       include their cluster's ({@link StableSnapshot}) and change, and are re-sent, only in the
 *       next step;
 *   <li>remove: the target exactly.
 * </ol>
 *
 * Intermediate steps version endpoints by the clusters already published. A step identical to what
 * is published is skipped; so is one that would be inconsistent.
 */
final class Rollout {

  /**
   * One step.
   *
   * @param resources what to publish
   * @param await the xDS types whose ACK must arrive before the next step (empty for the last step)
   */
  record Step(
      XdsResources resources,
      Set<String> await,
      List<Cluster> endpointBasis,
      boolean sentIsEnough) {
    /** A step whose endpoints are versioned by its own clusters (the last one). */
    Step(XdsResources resources, Set<String> await) {
      this(resources, await, resources.clusters(), false);
    }

    /** A step that waits for Envoy's ACK of {@code await}. */
    Step(XdsResources resources, Set<String> await, List<Cluster> endpointBasis) {
      this(resources, await, endpointBasis, false);
    }

    boolean last() {
      return await.isEmpty();
    }
  }

  private Rollout() {}

  /**
   * Returns the next step from {@code published} (null before the first publication) to {@code
   * target}.
   */
  static Step next(@Nullable XdsResources published, XdsResources target) {
    if (published == null || published.equals(target)) {
      return new Step(target, Set.of());
    }
    Set<String> have = names(published.clusters());
    Set<String> want = names(target.clusters());
    // The current listeners and routes with the target's clusters added or updated (none removed):
    // the add step when clusters are new, the update step when only their content changed.
    XdsResources grown = clustersOf(target, published, published);
    if (!have.containsAll(want) && Consistency.problems(grown).isEmpty()) {
      return new Step(
          grown, Set.of(AckTracker.CLUSTERS, AckTracker.ENDPOINTS), published.clusters());
    }
    if (changedClusters(published, target)
        && !grown.equals(published)
        && Consistency.problems(grown).isEmpty()) {
      // Endpoints stay versioned by the clusters Envoy runs, so the next step re-sends those of
      // the changed clusters. Envoy ACKs CDS only once re-created clusters are warm (after their
      // endpoints): this step waits until the clusters were sent; ADS's ordering does the rest.
      return new Step(grown, Set.of(AckTracker.CLUSTERS), published.clusters(), true);
    }
    if (!want.containsAll(have)) {
      XdsResources keep = clustersOf(target, published, target);
      if (!keep.equals(published) && Consistency.problems(keep).isEmpty()) {
        return new Step(
            keep, Set.of(AckTracker.LISTENERS, AckTracker.ROUTES), published.clusters());
      }
    }
    return new Step(target, Set.of());
  }

  /**
   * Returns the listeners and routes of {@code routesFrom} with the clusters, endpoints and secrets
   * of {@code target} plus those of {@code published} that the target drops.
   */
  private static XdsResources clustersOf(
      XdsResources target, XdsResources published, XdsResources routesFrom) {
    return new XdsResources(
        routesFrom.listeners(),
        routesFrom.routes(),
        merge(target.clusters(), published.clusters(), Cluster::getName),
        merge(target.endpoints(), published.endpoints(), ClusterLoadAssignment::getClusterName),
        merge(target.secrets(), published.secrets(), Secret::getName));
  }

  /** Returns {@code first}, then the items of {@code rest} whose name {@code first} lacks. */
  private static <T> List<T> merge(List<T> first, List<T> rest, Function<T, String> name) {
    Map<String, T> out = new LinkedHashMap<>();
    first.forEach(t -> out.put(name.apply(t), t));
    rest.forEach(t -> out.putIfAbsent(name.apply(t), t));
    return List.copyOf(out.values());
  }

  /** Returns whether a cluster both publish has different content in {@code target}. */
  private static boolean changedClusters(XdsResources published, XdsResources target) {
    Map<String, Cluster> before = new LinkedHashMap<>();
    published.clusters().forEach(c -> before.put(c.getName(), c));
    return target.clusters().stream()
        .anyMatch(c -> before.containsKey(c.getName()) && !before.get(c.getName()).equals(c));
  }

  private static Set<String> names(List<Cluster> clusters) {
    return clusters.stream().map(Cluster::getName).collect(Collectors.toSet());
  }
}
