package io.gangway.server.ads;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.gangway.xds.XdsResources;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RolloutTest {

  private static final XdsResources AB =
      XdsFixtures.routesTo(Map.of("/a", "a.static", "/b", "b.static"));
  private static final XdsResources A_ONLY =
      XdsFixtures.routesTo(Map.of("/a", "a.static", "/b", "a.static"));
  private static final XdsResources AC =
      XdsFixtures.routesTo(Map.of("/a", "a.static", "/b", "c.static"));

  @Test
  void first_isTheTarget() {
    assertThat(Rollout.next(null, AB)).isEqualTo(new Rollout.Step(AB, java.util.Set.of()));
  }

  @Test
  void removal_switchesRoutesFirstAndKeepsTheCluster() {
    Rollout.Step step = Rollout.next(AB, A_ONLY);
    assertThat(step.await()).containsExactlyInAnyOrder(AckTracker.LISTENERS, AckTracker.ROUTES);
    assertThat(step.resources().routes()).isEqualTo(A_ONLY.routes());
    assertThat(names(step.resources()))
        .containsExactlyInAnyOrder("outbound|80||a.static", "outbound|80||b.static");
    assertThat(step.resources().endpoints()).hasSize(2);

    assertThat(Rollout.next(step.resources(), A_ONLY))
        .isEqualTo(new Rollout.Step(A_ONLY, java.util.Set.of()));
  }

  @Test
  void swap_addsThenSwitchesThenRemoves() {
    Rollout.Step add = Rollout.next(AB, AC);
    assertThat(add.await()).containsExactlyInAnyOrder(AckTracker.CLUSTERS, AckTracker.ENDPOINTS);
    assertThat(add.resources().routes()).isEqualTo(AB.routes());
    assertThat(names(add.resources()))
        .containsExactlyInAnyOrder(
            "outbound|80||a.static", "outbound|80||b.static", "outbound|80||c.static");

    Rollout.Step keep = Rollout.next(add.resources(), AC);
    assertThat(keep.await()).containsExactlyInAnyOrder(AckTracker.LISTENERS, AckTracker.ROUTES);
    assertThat(keep.resources().routes()).isEqualTo(AC.routes());
    assertThat(names(keep.resources())).hasSize(3);

    assertThat(Rollout.next(keep.resources(), AC).resources()).isEqualTo(AC);
  }

  @Test
  void routeOnlyChange_isOneStep() {
    XdsResources moved = XdsFixtures.routesTo(Map.of("/a2", "a.static", "/b", "b.static"));
    assertThat(Rollout.next(AB, moved)).isEqualTo(new Rollout.Step(moved, java.util.Set.of()));
  }

  @Test
  void clusterOnlyChange_sendsTheClustersFirst_thenTheirEndpointsAgain() {
    Cluster changed =
        AB.clusters().get(0).toBuilder()
            .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(9))
            .build();
    java.util.List<Cluster> clusters = new java.util.ArrayList<>(AB.clusters());
    clusters.set(0, changed);
    XdsResources target =
        new XdsResources(AB.listeners(), AB.routes(), clusters, AB.endpoints(), AB.secrets());

    Rollout.Step update = Rollout.next(AB, target);
    assertThat(update.await()).containsExactly(AckTracker.CLUSTERS);
    assertThat(update.sentIsEnough()).as("Envoy ACKs CDS only after the endpoints").isTrue();
    assertThat(update.resources()).isEqualTo(target);
    assertThat(update.endpointBasis()).isEqualTo(AB.clusters());
    // The step keeps the endpoint versions Envoy has; the target's differ for the changed cluster
    // only,
    // so the next step re-sends exactly its endpoints, after the cluster.
    StableSnapshot during = new StableSnapshot(update.resources(), update.endpointBasis());
    StableSnapshot before = new StableSnapshot(AB);
    StableSnapshot after = new StableSnapshot(target);
    String name = changed.getName();
    String other = AB.clusters().get(1).getName();
    assertThat(during.endpoints().versionedResources().get(name).version())
        .isEqualTo(before.endpoints().versionedResources().get(name).version())
        .isNotEqualTo(after.endpoints().versionedResources().get(name).version());
    assertThat(after.endpoints().versionedResources().get(other).version())
        .isEqualTo(before.endpoints().versionedResources().get(other).version());

    assertThat(Rollout.next(update.resources(), target))
        .isEqualTo(new Rollout.Step(target, java.util.Set.of()));
  }

  private static java.util.List<String> names(XdsResources r) {
    return r.clusters().stream().map(Cluster::getName).toList();
  }
}
