package io.gangway.server.ads;

import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code EnvoyStatus} is what one connected Envoy (one ADS stream) runs, as its ACKs and NACKs
 * tell: the admin API's {@code /status} and {@code /readyz} read it.
 *
 * @param stream the xDS stream id (one ADS stream per connected Envoy)
 * @param node the Envoy node id, once its first request named it
 * @param connectedAt when the stream opened
 * @param types per resource type ({@code listeners}, {@code routes}, {@code clusters}, {@code
 *     endpoints}, {@code secrets}): what Envoy accepted and rejected
 */
public record EnvoyStatus(
    long stream, @Nullable String node, Instant connectedAt, Map<String, TypeStatus> types) {

  /** Returns whether Envoy runs everything it was sent: no response unanswered, no NACK open. */
  public boolean inSync() {
    return types.values().stream().allMatch(t -> t.nack() == null && t.pending() == 0);
  }

  /**
   * What Envoy holds of one resource type.
   *
   * @param acked resources of this type Envoy ACKed and runs (name → version)
   * @param pending responses sent and not yet answered
   * @param lastAckAt when Envoy last ACKed a response of this type
   * @param nack the last rejection, while no later response of this type was ACKed
   */
  public record TypeStatus(
      Map<String, String> acked, int pending, @Nullable Instant lastAckAt, @Nullable Nack nack) {}

  /**
   * A push Envoy rejected. The versions it rejected are not live; what {@link TypeStatus#acked}
   * lists stays in force.
   *
   * @param at when Envoy answered with the rejection
   * @param message Envoy's error detail
   * @param rejected the resources of the rejected response (name → version)
   */
  public record Nack(Instant at, String message, Map<String, String> rejected) {}

  /**
   * Process-lifetime totals per resource type, for metrics (monotonic: a closed stream keeps its
   * counts).
   *
   * @param responses responses sent
   * @param resources resources carried by those responses
   * @param acks responses ACKed
   * @param nacks responses NACKed
   */
  public record Totals(long responses, long resources, long acks, long nacks) {}
}
