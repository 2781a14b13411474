package io.gangway.server.ads;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.gangway.xds.XdsResources;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackedResourcesTest {

  @Test
  void serialize_versionedResource_sendsTheBytesItWasVersionedBy() throws Exception {
    XdsResources r = XdsFixtures.resources("/api", "10.0.0.1");
    new StableSnapshot(r);
    RouteConfiguration rc = r.routes().get(0);

    Any a = new PackedResources().serialize(rc, Resources.ApiVersion.V3);
    Any b = new PackedResources().serialize(rc, Resources.ApiVersion.V3);

    assertThat(b).isSameAs(a);
    assertThat(a.getTypeUrl()).isEqualTo(Any.pack(rc).getTypeUrl());
    assertThat(a.unpack(RouteConfiguration.class)).isEqualTo(rc);
  }

  @Test
  void serialize_equalButOtherInstance_isPackedOnItsOwn() throws Exception {
    new StableSnapshot(XdsFixtures.resources("/api", "10.0.0.1"));
    RouteConfiguration other = XdsFixtures.resources("/apx", "10.0.0.1").routes().get(0);
    StableSnapshot.hash(other); // hashing alone (ACK bookkeeping) keeps nothing

    Any a = new PackedResources().serialize(other, Resources.ApiVersion.V3);
    Any b = new PackedResources().serialize(other, Resources.ApiVersion.V3);

    assertThat(a.unpack(RouteConfiguration.class)).isEqualTo(other);
    assertThat(b).isNotSameAs(a);
  }

  @Test
  void routeTable_assembledFromItsVirtualHosts_parsesBackEqual_andHashesAsAnEqualCopy()
      throws Exception {
    RouteConfiguration base = XdsFixtures.resources("/api", "10.0.0.1").routes().get(0);
    RouteConfiguration rc =
        base.toBuilder()
            .addVirtualHosts(
                base.getVirtualHosts(0).toBuilder()
                    .setName("second")
                    .clearDomains()
                    .addDomains("second.test"))
            .build();
    RouteConfiguration copy = RouteConfiguration.parseFrom(rc.toByteArray());
    XdsResources base0 = XdsFixtures.resources("/api", "10.0.0.1");
    new StableSnapshot(
        new XdsResources(
            base0.listeners(), List.of(rc), base0.clusters(), base0.endpoints(), base0.secrets()));

    String h = StableSnapshot.hash(rc);
    Any a = new PackedResources().serialize(rc, Resources.ApiVersion.V3);

    assertThat(a.unpack(RouteConfiguration.class)).isEqualTo(rc);
    assertThat(StableSnapshot.hash(copy)).isEqualTo(h);
    assertThat(StableSnapshot.hash(rc.toBuilder().setName("other").build())).isNotEqualTo(h);
  }
}
