package io.gangway.server.ads;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.xds.XdsResources;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The route-churn race of issue 8 item 4: Envoy applies CDS and RDS separately, so a publication
 * that drops a cluster and the routes to it at once lets Envoy run, for a moment, routes that name
 * a cluster it no longer has ({@code 503 NC}). The publisher must order the change around Envoy's
 * ACKs.
 */
class SnapshotRolloutTest {

  private static final String A = "outbound|80||a.static";
  private static final String B = "outbound|80||b.static";
  private static final String C = "outbound|80||c.static";

  private final SnapshotPublisher publisher =
      new SnapshotPublisher(Duration.ofSeconds(5), Runnable::run);
  private final FakeEnvoy envoy = new FakeEnvoy(publisher, 1);

  @Test
  void removedCluster_envoyAppliesCdsFirst_neverRunsRoutesToAMissingCluster() throws Exception {
    publisher.publish(XdsFixtures.routesTo(Map.of("/a", "a.static", "/b", "b.static")));
    envoy.applyAll();

    publisher.publish(XdsFixtures.routesTo(Map.of("/a", "a.static", "/b", "a.static")));
    envoy.apply(AckTracker.CLUSTERS); // the order a CDS response may overtake the RDS one
    assertThat(envoy.missingClusters()).isEmpty();
    envoy.apply(AckTracker.LISTENERS);
    envoy.apply(AckTracker.ROUTES);
    assertThat(envoy.missingClusters()).isEmpty();
    assertThat(envoy.clusters()).contains(B); // b is not used any more, but was not ACKed away yet

    envoy.apply(AckTracker.CLUSTERS); // after the RDS ACK the publisher removed b
    assertThat(envoy.clusters()).containsExactly(A);
    assertThat(envoy.missingClusters()).isEmpty();
  }

  @Test
  void addedCluster_envoyAppliesRdsFirst_neverRunsRoutesToAMissingCluster() throws Exception {
    publisher.publish(XdsFixtures.routesTo(Map.of("/a", "a.static")));
    envoy.applyAll();

    publisher.publish(XdsFixtures.routesTo(Map.of("/a", "a.static", "/c", "c.static")));
    envoy.apply(AckTracker.ROUTES);
    envoy.apply(AckTracker.LISTENERS);
    assertThat(envoy.missingClusters()).isEmpty();
    envoy.apply(AckTracker.CLUSTERS); // c arrives, but is not warm before its endpoints are ACKed
    envoy.apply(AckTracker.ROUTES);
    assertThat(envoy.missingClusters()).isEmpty();
    assertThat(
            publisher
                .cache()
                .getSnapshot(SnapshotPublisher.GROUP)
                .routes()
                .resources()
                .values()
                .toString())
        .doesNotContain(C);
    envoy.apply(AckTracker.ENDPOINTS);
    envoy.apply(AckTracker.ROUTES);
    assertThat(envoy.clusters()).containsExactlyInAnyOrder(A, C);
    assertThat(envoy.missingClusters()).isEmpty();
    assertThat(
            publisher
                .cache()
                .getSnapshot(SnapshotPublisher.GROUP)
                .routes()
                .resources()
                .values()
                .toString())
        .contains(C);
  }

  @Test
  void swappedCluster_isAddedThenSwitchedThenRemoved() throws Exception {
    publisher.publish(XdsFixtures.routesTo(Map.of("/x", "b.static")));
    envoy.applyAll();

    publisher.publish(XdsFixtures.routesTo(Map.of("/x", "c.static")));
    for (int i = 0; i < 3; i++) {
      envoy.apply(AckTracker.CLUSTERS);
      envoy.apply(AckTracker.ENDPOINTS);
      assertThat(envoy.missingClusters()).isEmpty();
      envoy.apply(AckTracker.ROUTES);
      assertThat(envoy.missingClusters()).isEmpty();
      envoy.apply(AckTracker.LISTENERS);
    }
    assertThat(envoy.clusters()).containsExactly(C);
  }

  @Test
  void noEnvoyConnected_publishesTheTargetAtOnce() throws Exception {
    publisher.publish(XdsFixtures.routesTo(Map.of("/a", "a.static", "/b", "b.static")));
    XdsResources target = XdsFixtures.routesTo(Map.of("/a", "a.static"));
    publisher.publish(target);
    assertThat(publisher.cache().getSnapshot(SnapshotPublisher.GROUP).clusters().resources())
        .containsOnlyKeys(A);
  }

  @Test
  void envoyThatNeverAcks_isWaitedForUntilTheTimeout() throws Exception {
    publisher.publish(XdsFixtures.routesTo(Map.of("/a", "a.static", "/b", "b.static")));
    envoy.applyAll();
    publisher.publish(XdsFixtures.routesTo(Map.of("/a", "a.static")));
    assertThat(publisher.cache().getSnapshot(SnapshotPublisher.GROUP).clusters().resources())
        .containsKey(B);

    publisher.expireWait();

    assertThat(publisher.cache().getSnapshot(SnapshotPublisher.GROUP).clusters().resources())
        .containsOnlyKeys(A);
  }

  @Test
  void closedStream_noLongerHoldsTheRolloutBack() throws Exception {
    publisher.publish(XdsFixtures.routesTo(Map.of("/a", "a.static", "/b", "b.static")));
    envoy.applyAll();
    publisher.publish(XdsFixtures.routesTo(Map.of("/a", "a.static")));

    publisher.acks().closed(1);

    assertThat(publisher.cache().getSnapshot(SnapshotPublisher.GROUP).clusters().resources())
        .containsOnlyKeys(A);
  }

  @Test
  void newTargetWhileRoutesAreInFlight_waitsForThatAck() throws Exception {
    publisher.publish(XdsFixtures.routesTo(Map.of("/x", "b.static")));
    envoy.applyAll();
    publisher.publish(XdsFixtures.routesTo(Map.of("/x", "c.static")));
    envoy.apply(AckTracker.CLUSTERS);
    envoy.apply(AckTracker.ENDPOINTS);
    String inFlight = envoy.receive(AckTracker.ROUTES); // routes to c applied, not ACKed yet

    publisher.publish(XdsFixtures.routesTo(Map.of("/x", "b.static"))); // flip back at once
    envoy.apply(AckTracker.CLUSTERS);
    assertThat(envoy.missingClusters()).isEmpty();

    envoy.ack(AckTracker.ROUTES, inFlight);
    envoy.apply(AckTracker.ROUTES);
    envoy.apply(AckTracker.CLUSTERS);
    assertThat(envoy.missingClusters()).isEmpty();
    assertThat(envoy.clusters()).containsExactly(B);
  }
}
