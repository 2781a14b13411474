package io.gangway.server.ads;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AckTrackerTest {

  private final AtomicInteger acks = new AtomicInteger();
  private final AckTracker tracker = new AckTracker(acks::incrementAndGet);

  private static Cluster cluster(String name) {
    return Cluster.newBuilder().setName(name).build();
  }

  private static String hash(String name) {
    return StableSnapshot.hash(cluster(name));
  }

  private void sotwResponse(String nonce, String... clusters) {
    DiscoveryResponse.Builder b =
        DiscoveryResponse.newBuilder().setTypeUrl(AckTracker.CLUSTERS).setNonce(nonce);
    for (String c : clusters) {
      b.addResources(Any.pack(cluster(c)));
    }
    tracker.response(1, b.build());
  }

  private void sotwAnswer(String nonce, boolean nack) {
    DiscoveryRequest.Builder b =
        DiscoveryRequest.newBuilder().setTypeUrl(AckTracker.CLUSTERS).setResponseNonce(nonce);
    if (nack) {
      b.getErrorDetailBuilder().setMessage("rejected");
    }
    tracker.request(1, b.build());
  }

  private void deltaResponse(String nonce, Map<String, String> resources, String... removed) {
    DeltaDiscoveryResponse.Builder b =
        DeltaDiscoveryResponse.newBuilder().setTypeUrl(AckTracker.CLUSTERS).setNonce(nonce);
    resources.forEach((n, v) -> b.addResources(Resource.newBuilder().setName(n).setVersion(v)));
    for (String r : removed) {
      b.addRemovedResources(r);
    }
    tracker.deltaResponse(2, b.build());
  }

  private void deltaAnswer(String nonce, boolean nack) {
    DeltaDiscoveryRequest.Builder b =
        DeltaDiscoveryRequest.newBuilder().setTypeUrl(AckTracker.CLUSTERS).setResponseNonce(nonce);
    if (nack) {
      b.getErrorDetailBuilder().setMessage("rejected");
    }
    tracker.deltaRequest(2, b.build());
  }

  @Test
  void stateOfTheWorld_anAckReplacesTheState_aNackKeepsIt_andAnswersSupersedeEveryOtherResponse() {
    sotwResponse("1", "a", "b");
    assertThat(tracker.allAcked(AckTracker.CLUSTERS, Map.of("a", hash("a"))))
        .as("in flight")
        .isFalse();
    sotwAnswer("1", false);
    assertThat(tracker.allAcked(AckTracker.CLUSTERS, Map.of("a", hash("a"), "b", hash("b"))))
        .isTrue();

    sotwResponse("2", "b");
    sotwAnswer("2", false);
    assertThat(tracker.allAcked(AckTracker.CLUSTERS, Map.of("a", hash("a"))))
        .as("a left the state")
        .isFalse();
    assertThat(tracker.allAcked(AckTracker.CLUSTERS, Map.of("b", hash("b")))).isTrue();

    sotwResponse("3", "c");
    sotwAnswer("3", true);
    assertThat(tracker.allAcked(AckTracker.CLUSTERS, Map.of("c", hash("c"))))
        .as("NACKed")
        .isFalse();
    assertThat(tracker.allAcked(AckTracker.CLUSTERS, Map.of("b", hash("b"))))
        .as("NACK keeps the state")
        .isTrue();

    sotwResponse("4", "d");
    sotwResponse("5", "d", "e");
    sotwAnswer("4", false);
    assertThat(tracker.allAcked(AckTracker.CLUSTERS, Map.of("d", hash("d"))))
        .as("answering 4 supersedes 5 as well")
        .isTrue();
    assertThat(acks.get()).isEqualTo(3);
  }

  @Test
  void delta_anAckMergesChangesAndRemovals_andLaterResponsesStayInFlight() {
    deltaResponse("1", Map.of("a", "v1"));
    deltaAnswer("1", false);
    deltaResponse("2", Map.of("b", "v1"));
    deltaAnswer("2", false);
    assertThat(tracker.allAcked(AckTracker.CLUSTERS, Map.of("a", "v1", "b", "v1")))
        .as("merged")
        .isTrue();

    deltaResponse("3", Map.of(), "a");
    deltaAnswer("3", false);
    assertThat(tracker.allAcked(AckTracker.CLUSTERS, Map.of("a", "v1"))).as("removed").isFalse();

    deltaResponse("4", Map.of("b", "v2"));
    deltaAnswer("4", true);
    assertThat(tracker.allAcked(AckTracker.CLUSTERS, Map.of("b", "v1")))
        .as("NACK keeps v1")
        .isTrue();

    deltaResponse("5", Map.of("b", "v3"));
    deltaResponse("6", Map.of("c", "v1"));
    deltaAnswer("5", false);
    assertThat(tracker.allAcked(AckTracker.CLUSTERS, Map.of("b", "v3")))
        .as("6 is still in flight")
        .isFalse();
    deltaAnswer("6", false);
    assertThat(tracker.allAcked(AckTracker.CLUSTERS, Map.of("b", "v3", "c", "v1"))).isTrue();
  }

  @Test
  void closedStream_isNoLongerWaitedFor() {
    sotwResponse("1", "a");
    assertThat(tracker.allAcked(AckTracker.CLUSTERS, Map.of("a", hash("a")))).isFalse();
    tracker.closed(1);
    assertThat(tracker.allAcked(AckTracker.CLUSTERS, Map.of("a", hash("a")))).isTrue();
  }

  @Test
  void aNack_isOpenWithEnvoysMessage_theAcceptedVersionsStay_andTheNextAckClearsIt() {
    deltaResponse("1", Map.of("a", "v1"));
    deltaAnswer("1", false);
    deltaResponse("2", Map.of("a", "v2"));
    deltaAnswer("2", true);

    EnvoyStatus.TypeStatus nacked = tracker.types(2).get("clusters");
    assertThat(nacked.acked()).containsExactly(Map.entry("a", "v1"));
    assertThat(nacked.nack()).isNotNull();
    assertThat(nacked.nack().message()).isEqualTo("rejected");
    assertThat(nacked.nack().rejected()).containsExactly(Map.entry("a", "v2"));
    assertThat(nacked.pending()).isZero();

    deltaResponse("3", Map.of("a", "v3"));
    assertThat(tracker.types(2).get("clusters").pending()).isEqualTo(1);
    deltaAnswer("3", false);
    EnvoyStatus.TypeStatus accepted = tracker.types(2).get("clusters");
    assertThat(accepted.nack()).isNull();
    assertThat(accepted.acked()).containsExactly(Map.entry("a", "v3"));
    assertThat(accepted.lastAckAt()).isNotNull();

    assertThat(tracker.totals().get("clusters")).isEqualTo(new EnvoyStatus.Totals(3, 3, 2, 1));
  }

  @Test
  void aNack_isCleared_whenThePublishedSnapshotWithdrawsTheRejectedChange() {
    deltaResponse("1", Map.of("a", "v1"));
    deltaAnswer("1", false);
    deltaResponse("2", Map.of("a", "v2", "b", "v1"));
    deltaAnswer("2", true);
    int before = acks.get();

    tracker.published(AckTracker.CLUSTERS, Map.of("a", "v3"));
    assertThat(tracker.types(2).get("clusters").nack())
        .as("another change: it will be sent, and its ACK clears the NACK")
        .isNotNull();
    tracker.published(AckTracker.CLUSTERS, Map.of("a", "v1", "b", "v1"));
    assertThat(tracker.types(2).get("clusters").nack()).as("b still wanted").isNotNull();
    tracker.published(AckTracker.LISTENERS, Map.of("a", "v1"));
    assertThat(tracker.types(2).get("clusters").nack()).as("another type").isNotNull();
    assertThat(acks.get()).isEqualTo(before);

    tracker.published(AckTracker.CLUSTERS, Map.of("a", "v1"));
    EnvoyStatus.TypeStatus reverted = tracker.types(2).get("clusters");
    assertThat(reverted.nack())
        .as("back to what Envoy runs: nothing to send, not rejected")
        .isNull();
    assertThat(reverted.acked()).containsExactly(Map.entry("a", "v1"));
    assertThat(acks.get()).as("readiness is re-evaluated").isEqualTo(before + 1);

    // The same rejected change again: not re-sent (content-hashed versions), so it stays rejected.
    tracker.published(AckTracker.CLUSTERS, Map.of("a", "v2", "b", "v1"));
    EnvoyStatus.TypeStatus again = tracker.types(2).get("clusters");
    assertThat(again.nack()).isNotNull();
    assertThat(again.nack().message()).isEqualTo("rejected");
    assertThat(acks.get()).isEqualTo(before + 2);
    tracker.published(AckTracker.CLUSTERS, Map.of("a", "v1"));
    assertThat(tracker.types(2).get("clusters").nack()).isNull();
    deltaResponse("3", Map.of("a", "v4"));
    deltaAnswer("3", false);
    tracker.published(AckTracker.CLUSTERS, Map.of("a", "v2", "b", "v1"));
    assertThat(tracker.types(2).get("clusters").nack())
        .as("after Envoy answered newer content, the server sends the change again: no guess")
        .isNull();
  }

  @Test
  void stateOfTheWorld_aNackKeepsTheAcceptedState_inTheStatus() {
    sotwResponse("1", "a");
    sotwAnswer("1", false);
    sotwResponse("2", "a", "b");
    sotwAnswer("2", true);
    EnvoyStatus.TypeStatus t = tracker.types(1).get("clusters");
    assertThat(t.acked()).containsOnlyKeys("a");
    assertThat(t.nack().rejected()).containsOnlyKeys("a", "b");
  }
}
