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
 * type on its own: a route table that names a cluster Envoy does not have yet, or still names one it
 * just removed, answers {@code 503 NC}. The steps, each published only after every Envoy ACKed the
 * previous one:
 * <ol>
 *   <li>add: the current listeners and routes, with the target's clusters added (and changed ones
 *       updated), wait for the CDS and EDS ACKs (a new EDS cluster warms when its endpoints arrive;
 *       a CDS ACK alone came too early under churn: {@code bench/route-churn.sh} counted 188 NC);
 *   <li>switch: the target's listeners and routes, keeping the clusters they no longer use, wait for
 *       the LDS and RDS ACKs;
 *   <li>remove: the target exactly.
 * </ol>
 * A step identical to what is published is skipped; so is one that would be inconsistent.
 */
final class Rollout {

  /**
   * One step.
   *
   * @param resources what to publish
   * @param await the xDS types whose ACK must arrive before the next step (empty for the last step)
   */
  record Step(XdsResources resources, Set<String> await) {
    boolean last() {
      return await.isEmpty();
    }
  }

  private Rollout() {}

  /** Returns the next step from {@code published} (null before the first publication) to {@code target}. */
  static Step next(@Nullable XdsResources published, XdsResources target) {
    if (published == null || published.equals(target)) {
      return new Step(target, Set.of());
    }
    Set<String> have = names(published.clusters());
    Set<String> want = names(target.clusters());
    if (!have.containsAll(want)) {
      XdsResources add = new XdsResources(published.listeners(), published.routes(),
          merge(target.clusters(), published.clusters(), Cluster::getName),
          merge(target.endpoints(), published.endpoints(), ClusterLoadAssignment::getClusterName),
          merge(target.secrets(), published.secrets(), Secret::getName));
      if (Consistency.problems(add).isEmpty()) {
        return new Step(add, Set.of(AckTracker.CLUSTERS, AckTracker.ENDPOINTS));
      }
    }
    if (!want.containsAll(have)) {
      XdsResources keep = new XdsResources(target.listeners(), target.routes(),
          merge(target.clusters(), published.clusters(), Cluster::getName),
          merge(target.endpoints(), published.endpoints(), ClusterLoadAssignment::getClusterName),
          merge(target.secrets(), published.secrets(), Secret::getName));
      if (!keep.equals(published) && Consistency.problems(keep).isEmpty()) {
        return new Step(keep, Set.of(AckTracker.LISTENERS, AckTracker.ROUTES));
      }
    }
    return new Step(target, Set.of());
  }

  /** Returns {@code first}, then the items of {@code rest} whose name {@code first} lacks. */
  private static <T> List<T> merge(List<T> first, List<T> rest, Function<T, String> name) {
    Map<String, T> out = new LinkedHashMap<>();
    first.forEach(t -> out.put(name.apply(t), t));
    rest.forEach(t -> out.putIfAbsent(name.apply(t), t));
    return List.copyOf(out.values());
  }

  private static Set<String> names(List<Cluster> clusters) {
    return clusters.stream().map(Cluster::getName).collect(Collectors.toSet());
  }
}
