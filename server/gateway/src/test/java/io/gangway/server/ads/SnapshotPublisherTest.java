package io.gangway.server.ads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gangway.xds.XdsResources;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotPublisherTest {

  private final SnapshotPublisher publisher = new SnapshotPublisher();

  @Test
  void publish_first_reportsEveryType() throws Exception {
    assertThat(publisher.hasSnapshot()).isFalse();
    Map<String, String> changed = publisher.publish(XdsFixtures.resources("/api", "10.0.0.1"));
    assertThat(changed).containsOnlyKeys("listeners", "routes", "clusters", "endpoints", "secrets");
    assertThat(publisher.hasSnapshot()).isTrue();
    assertThat(publisher.versions()).isEqualTo(changed);
    assertThat(publisher.cache().getSnapshot(SnapshotPublisher.GROUP)).isNotNull();
  }

  @Test
  void publish_routeOnlyChange_reportsRoutes() throws Exception {
    publisher.publish(XdsFixtures.resources("/api", "10.0.0.1"));
    assertThat(publisher.publish(XdsFixtures.resources("/v2", "10.0.0.1")))
        .containsOnlyKeys("routes");
  }

  @Test
  void publish_endpointOnlyChange_reportsEndpoints() throws Exception {
    XdsResources first = XdsFixtures.resources("/api", "10.0.0.1");
    publisher.publish(first);
    XdsResources next =
        first.withEndpoints(
            XdsFixtures.TRANSLATOR.endpoints(
                XdsFixtures.model("/api"), XdsFixtures.endpoints("10.0.0.1", "10.0.0.2")));
    assertThat(publisher.publish(next)).containsOnlyKeys("endpoints");
  }

  @Test
  void publish_noChange_reportsNothingAndKeepsTheSnapshot() throws Exception {
    publisher.publish(XdsFixtures.resources("/api", "10.0.0.1"));
    Object before = publisher.cache().getSnapshot(SnapshotPublisher.GROUP);
    assertThat(publisher.publish(XdsFixtures.resources("/api", "10.0.0.1"))).isEmpty();
    assertThat(publisher.cache().getSnapshot(SnapshotPublisher.GROUP)).isSameAs(before);
  }

  @Test
  void publish_inconsistentSet_isRefusedAndTheLastGoodStays() throws Exception {
    publisher.publish(XdsFixtures.resources("/api", "10.0.0.1"));
    Map<String, String> versions = publisher.versions();
    Object before = publisher.cache().getSnapshot(SnapshotPublisher.GROUP);
    XdsResources broken = XdsFixtures.resources("/v2", "10.0.0.1").withEndpoints(List.of());

    assertThatThrownBy(() -> publisher.publish(broken))
        .isInstanceOf(SnapshotPublisher.InconsistentSnapshotException.class)
        .hasMessageContaining("cluster outbound|80||a.static has no endpoints resource");
    assertThat(publisher.versions()).isEqualTo(versions);
    assertThat(publisher.cache().getSnapshot(SnapshotPublisher.GROUP)).isSameAs(before);
  }

  @Test
  void publish_inconsistentFirstSet_publishesNothing() {
    XdsResources broken =
        new XdsResources(
            XdsFixtures.resources("/api").listeners(), List.of(), List.of(), List.of(), List.of());
    assertThatThrownBy(() -> publisher.publish(broken))
        .isInstanceOf(SnapshotPublisher.InconsistentSnapshotException.class)
        .hasMessageContaining("needs missing route table http.8080");
    assertThat(publisher.hasSnapshot()).isFalse();
    assertThat(publisher.versions()).isEmpty();
  }
}
