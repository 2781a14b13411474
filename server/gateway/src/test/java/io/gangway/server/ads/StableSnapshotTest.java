package io.gangway.server.ads;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.gangway.xds.XdsResources;
import java.util.List;
import org.junit.jupiter.api.Test;

class StableSnapshotTest {

  @Test
  void hash_equalResourcesBuiltSeparately_areEqual() {
    XdsResources one = XdsFixtures.resources("/api", "10.0.0.1");
    XdsResources two = XdsFixtures.resources("/api", "10.0.0.1");
    assertThat(one.listeners().get(0)).isNotSameAs(two.listeners().get(0));
    assertThat(StableSnapshot.hash(one.listeners().get(0)))
        .isEqualTo(StableSnapshot.hash(two.listeners().get(0)));
    assertThat(StableSnapshot.hash(one.routes().get(0)))
        .isEqualTo(StableSnapshot.hash(two.routes().get(0)));
    assertThat(StableSnapshot.hash(one.clusters().get(0)))
        .isEqualTo(StableSnapshot.hash(two.clusters().get(0)));
    assertThat(StableSnapshot.hash(one.endpoints().get(0)))
        .isEqualTo(StableSnapshot.hash(two.endpoints().get(0)));
  }

  @Test
  void hash_oneFieldChanged_differs() {
    Cluster c = XdsFixtures.resources("/api", "10.0.0.1").clusters().get(0);
    Cluster changed =
        c.toBuilder()
            .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(6))
            .build();
    assertThat(StableSnapshot.hash(changed)).isNotEqualTo(StableSnapshot.hash(c));
    assertThat(StableSnapshot.hash(XdsFixtures.resources("/api", "10.0.0.1").routes().get(0)))
        .isNotEqualTo(
            StableSnapshot.hash(XdsFixtures.resources("/apx", "10.0.0.1").routes().get(0)));
  }

  @Test
  void hash_isShortHexAndStable() {
    String h = StableSnapshot.hash(XdsFixtures.resources("/api", "10.0.0.1").listeners().get(0));
    assertThat(h).hasSize(16).matches("[0-9a-f]{16}");
  }

  @Test
  void versions_perTypeFollowContentNotIdentity() {
    StableSnapshot a = new StableSnapshot(XdsFixtures.resources("/api", "10.0.0.1"));
    StableSnapshot b = new StableSnapshot(XdsFixtures.resources("/api", "10.0.0.1"));
    StableSnapshot c = new StableSnapshot(XdsFixtures.resources("/api", "10.0.0.2"));
    assertThat(b.listeners().version()).isEqualTo(a.listeners().version());
    assertThat(b.routes().version()).isEqualTo(a.routes().version());
    assertThat(b.endpoints().version()).isEqualTo(a.endpoints().version());
    assertThat(c.endpoints().version()).isNotEqualTo(a.endpoints().version());
    assertThat(c.clusters().version()).isEqualTo(a.clusters().version());
  }

  @Test
  void versions_ofNamedResources_coverOnlyThoseNames() {
    StableSnapshot a = new StableSnapshot(XdsFixtures.resources("/api", "10.0.0.1"));
    String name = "outbound|80||a.static";
    assertThat(a.endpoints().version(List.of(name)))
        .isNotEqualTo(a.endpoints().version(List.of("other")));
    assertThat(a.endpoints().version(List.of(name)))
        .isEqualTo(
            new StableSnapshot(XdsFixtures.resources("/other", "10.0.0.1"))
                .endpoints()
                .version(List.of(name)));
  }
}
