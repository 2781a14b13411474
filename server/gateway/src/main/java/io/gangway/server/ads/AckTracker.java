package io.gangway.server.ads;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code AckTracker} knows, per xDS stream and resource type, which resource versions Envoy has
 * ACKed: the state Envoy really runs, as opposed to what the cache holds. The publisher asks it
 * whether every connected Envoy applied a step of a make-before-break rollout. Only the types such
 * a rollout waits for are tracked (clusters, their endpoints, listeners, route tables); an EDS
 * cluster is warm, so routes may name it, once its endpoints are ACKed. Thread-safe: gRPC threads
 * report.
 */
final class AckTracker {

  private static final Logger log = LoggerFactory.getLogger(AckTracker.class);

  static final String CLUSTERS = Resources.V3.CLUSTER_TYPE_URL;
  static final String LISTENERS = Resources.V3.LISTENER_TYPE_URL;
  static final String ROUTES = Resources.V3.ROUTE_TYPE_URL;
  static final String ENDPOINTS = Resources.V3.ENDPOINT_TYPE_URL;

  /** What one stream sent and what its Envoy acknowledged, per type. */
  private static final class Stream {
    // type -> nonce -> resources sent (name -> version; a null version removes the name)
    final Map<String, Map<String, Map<String, String>>> sent = new HashMap<>();
    // type -> name -> version that Envoy ACKed
    final Map<String, Map<String, String>> acked = new HashMap<>();
    // types this stream ever sent a response for: a stream that never got one is not waited for
    final java.util.Set<String> served = new java.util.HashSet<>();
    // type -> the open rejection (cleared by the next ACK of that type)
    final Map<String, EnvoyStatus.Nack> nacks = new HashMap<>();
    // type -> when Envoy last ACKed a response of that type
    final Map<String, java.time.Instant> lastAck = new HashMap<>();
    // type -> a rejection whose change was withdrawn; it holds again if that change comes back
    final Map<String, EnvoyStatus.Nack> withdrawn = new HashMap<>();
  }

  /** Process-lifetime counts per type: responses, resources, acks, nacks. */
  private final Map<String, java.util.concurrent.atomic.AtomicLongArray> totals =
      new ConcurrentHashMap<>();

  private void count(String typeUrl, int index, long n) {
    totals
        .computeIfAbsent(typeUrl, t -> new java.util.concurrent.atomic.AtomicLongArray(4))
        .addAndGet(index, n);
  }

  private final Map<Long, Stream> streams = new ConcurrentHashMap<>();
  private final Runnable onAck;
  private final Runnable onSent;

  /** Creates a tracker; {@code onAck} runs (on the reporting thread) after each recorded ACK. */
  AckTracker(Runnable onAck) {
    this(onAck, () -> {});
  }

  /**
   * Creates a tracker that also runs {@code onSent} after each response of a tracked type is sent.
   */
  AckTracker(Runnable onAck, Runnable onSent) {
    this.onAck = onAck;
    this.onSent = onSent;
  }

  void closed(long streamId) {
    streams.remove(streamId);
    onAck.run(); // a gone Envoy no longer holds a rollout back
  }

  void deltaResponse(long streamId, DeltaDiscoveryResponse response) {
    if (!tracked(response.getTypeUrl())) {
      return;
    }
    Map<String, String> sent = new HashMap<>();
    for (Resource r : response.getResourcesList()) {
      sent.put(r.getName(), r.getVersion());
    }
    response.getRemovedResourcesList().forEach(n -> sent.put(n, null));
    sent(streamId, response.getTypeUrl(), response.getNonce(), sent);
  }

  void deltaRequest(long streamId, DeltaDiscoveryRequest request) {
    answered(
        streamId,
        request.getTypeUrl(),
        request.getResponseNonce(),
        request.hasErrorDetail(),
        request.getErrorDetail().getMessage(),
        Protocol.DELTA);
  }

  void response(long streamId, DiscoveryResponse response) {
    if (!tracked(response.getTypeUrl())) {
      return;
    }
    Map<String, String> sent = new HashMap<>();
    for (Any any : response.getResourcesList()) {
      Message m = unpack(response.getTypeUrl(), any);
      if (m != null) {
        sent.put(name(m), StableSnapshot.hash(m));
      }
    }
    sent(streamId, response.getTypeUrl(), response.getNonce(), sent);
  }

  void request(long streamId, DiscoveryRequest request) {
    answered(
        streamId,
        request.getTypeUrl(),
        request.getResponseNonce(),
        request.hasErrorDetail(),
        request.getErrorDetail().getMessage(),
        Protocol.SOTW);
  }

  /** How a response's resources relate to what Envoy holds of their type. */
  private enum Protocol {
    /**
     * Delta: a response carries changes (a null version removes the name); responses are answered
     * in order.
     */
    DELTA,
    /**
     * State of the world: a response is the whole state of the type; answering one supersedes every
     * other.
     */
    SOTW
  }

  /**
   * Records that {@code streamId} was sent {@code sent} (name to version) of {@code typeUrl} under
   * {@code nonce}.
   */
  private void sent(long streamId, String typeUrl, String nonce, Map<String, String> sent) {
    count(typeUrl, 0, 1);
    count(typeUrl, 1, sent.size());
    Stream s = streams.computeIfAbsent(streamId, id -> new Stream());
    synchronized (s) {
      s.served.add(typeUrl);
      s.sent.computeIfAbsent(typeUrl, t -> new java.util.LinkedHashMap<>()).put(nonce, sent);
    }
    if (tracked(typeUrl)) {
      onSent.run(); // a rollout step may wait for a response to be sent, not answered (allSent)
    }
  }

  /**
   * Records Envoy's answer (an ACK, or a NACK when {@code nack}) to the response {@code nonce} of
   * {@code typeUrl}.
   */
  private void answered(
      long streamId,
      String typeUrl,
      String nonce,
      boolean nack,
      String message,
      Protocol protocol) {
    if (!tracked(typeUrl) || nonce.isEmpty()) {
      return;
    }
    Stream s = streams.get(streamId);
    if (s == null) {
      return;
    }
    synchronized (s) {
      Map<String, Map<String, String>> byNonce = s.sent.getOrDefault(typeUrl, Map.of());
      Map<String, String> sent = byNonce.get(nonce);
      if (sent == null) {
        return;
      }
      if (protocol == Protocol.SOTW) {
        byNonce.clear(); // every earlier response is superseded by the one answered
      } else {
        // Envoy answers responses in order: earlier unanswered nonces are superseded.
        for (var it = byNonce.keySet().iterator(); it.hasNext(); ) {
          if (it.next().equals(nonce)) {
            it.remove();
            break;
          }
          it.remove();
        }
      }
      s.withdrawn.remove(typeUrl); // Envoy answered newer content: the server re-sends again
      if (nack) {
        count(typeUrl, 3, 1);
        EnvoyStatus.Nack open = s.nacks.get(typeUrl);
        if (open == null || !open.rejected().equals(sent) || !open.message().equals(message)) {
          log.warn(
              "Envoy rejected {} (NACK): {}; the previously accepted {} stay in force",
              shortName(typeUrl),
              message,
              shortName(typeUrl));
        }
        s.nacks.put(
            typeUrl,
            new EnvoyStatus.Nack(
                java.time.Instant.now(),
                message,
                java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(nonNull(sent)))));
        return;
      }
      count(typeUrl, 2, 1);
      s.lastAck.put(typeUrl, java.time.Instant.now());
      if (s.nacks.remove(typeUrl) != null) {
        log.info("Envoy accepted {} again", shortName(typeUrl));
      }
      if (protocol == Protocol.SOTW) {
        // State of the world: the response is the whole state of the names it carries.
        s.acked.put(typeUrl, new HashMap<>(sent));
      } else {
        Map<String, String> acked = s.acked.computeIfAbsent(typeUrl, t -> new HashMap<>());
        sent.forEach(
            (name, version) -> {
              if (version == null) {
                acked.remove(name);
              } else {
                acked.put(name, version);
              }
            });
      }
    }
    onAck.run();
  }

  /**
   * Records that the snapshot now holds {@code current} (name → version) of {@code typeUrl}. An
   * open NACK whose rejected change it withdrew (every rejected resource back at the version Envoy
   * holds, or gone from both) is cleared: nothing is sent then, since Envoy already runs what is
   * wanted, so no ACK would ever clear it, and reverting a bad edit must make the gateway ready
   * again. If that very change comes back before Envoy answers anything else of the type, the NACK
   * holds again: the server does not re-send content it sent last (the snapshot versions are
   * content hashes), and Envoy rejected exactly that content.
   */
  void published(String typeUrl, Map<String, String> current) {
    boolean changed = false;
    for (Stream s : streams.values()) {
      synchronized (s) {
        Map<String, String> acked = s.acked.getOrDefault(typeUrl, Map.of());
        EnvoyStatus.Nack open = s.nacks.get(typeUrl);
        if (open != null && wants(current, open.rejected().keySet(), acked)) {
          s.nacks.remove(typeUrl);
          s.withdrawn.put(typeUrl, open);
          changed = true;
          log.info(
              "the {} change Envoy rejected was withdrawn: what Envoy accepted is current again",
              shortName(typeUrl));
          continue;
        }
        EnvoyStatus.Nack back = s.withdrawn.get(typeUrl);
        if (open == null
            && back != null
            && wants(current, back.rejected().keySet(), back.rejected())) {
          s.withdrawn.remove(typeUrl);
          s.nacks.put(typeUrl, back);
          changed = true;
          log.warn(
              "the {} change Envoy rejected is wanted again and stays rejected (NACK): {}",
              shortName(typeUrl),
              back.message());
        }
      }
    }
    if (changed) {
      onAck.run();
    }
  }

  /** Returns whether {@code current} has each of {@code names} at its version in {@code at}. */
  private static boolean wants(
      Map<String, String> current, java.util.Set<String> names, Map<String, String> at) {
    return names.stream().allMatch(n -> java.util.Objects.equals(current.get(n), at.get(n)));
  }

  /**
   * Returns whether every stream that was served {@code typeUrl} has answered every response of
   * that type and ACKed {@code wanted} (name → version): each wanted resource the stream holds or
   * subscribes to at the wanted version. Resources a stream never subscribed to (a route table of a
   * listener it does not have) are not waited for; for clusters, endpoints and listeners every
   * wanted name must be there (Envoy subscribes to the endpoints of every cluster it has).
   */
  boolean allAcked(String typeUrl, Map<String, String> wanted) {
    for (Stream s : streams.values()) {
      synchronized (s) {
        if (!s.served.contains(typeUrl)) {
          continue;
        }
        if (!s.sent.getOrDefault(typeUrl, Map.of()).isEmpty()) {
          return false; // a response still in flight: what Envoy ACKed is about to change
        }
        Map<String, String> acked = s.acked.getOrDefault(typeUrl, Map.of());
        boolean wildcard = !typeUrl.equals(ROUTES);
        for (Map.Entry<String, String> e : wanted.entrySet()) {
          String have = acked.get(e.getKey());
          if (have == null ? wildcard : !have.equals(e.getValue())) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /**
   * Returns whether every stream that was served {@code typeUrl} has been sent {@code wanted} (name
   * → version), ACKed or not yet answered. Envoy reads one ADS stream in order, so a response sent
   * after this is true is processed after those resources.
   */
  boolean allSent(String typeUrl, Map<String, String> wanted) {
    for (Stream s : streams.values()) {
      synchronized (s) {
        if (!s.served.contains(typeUrl)) {
          continue;
        }
        Map<String, String> acked = s.acked.getOrDefault(typeUrl, Map.of());
        Map<String, Map<String, String>> pending = s.sent.getOrDefault(typeUrl, Map.of());
        for (Map.Entry<String, String> e : wanted.entrySet()) {
          boolean there =
              e.getValue().equals(acked.get(e.getKey()))
                  || pending.values().stream()
                      .anyMatch(m -> e.getValue().equals(m.get(e.getKey())));
          if (!there) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** Returns each open stream's per-type state (node ids and connection times from the caller). */
  Map<String, EnvoyStatus.TypeStatus> types(long streamId) {
    Stream s = streams.get(streamId);
    if (s == null) {
      return Map.of();
    }
    Map<String, EnvoyStatus.TypeStatus> out = new java.util.TreeMap<>();
    synchronized (s) {
      for (String type : s.served) {
        out.put(
            shortName(type),
            new EnvoyStatus.TypeStatus(
                java.util.Collections.unmodifiableMap(
                    new java.util.TreeMap<>(s.acked.getOrDefault(type, Map.of()))),
                s.sent.getOrDefault(type, Map.of()).size(),
                s.lastAck.get(type),
                s.nacks.get(type)));
      }
    }
    return out;
  }

  /** Returns the process-lifetime totals per short type name. */
  Map<String, EnvoyStatus.Totals> totals() {
    Map<String, EnvoyStatus.Totals> out = new java.util.TreeMap<>();
    totals.forEach(
        (type, a) ->
            out.put(
                shortName(type), new EnvoyStatus.Totals(a.get(0), a.get(1), a.get(2), a.get(3))));
    return out;
  }

  static String shortName(String typeUrl) {
    return switch (typeUrl) {
      case CLUSTERS -> "clusters";
      case LISTENERS -> "listeners";
      case ROUTES -> "routes";
      case ENDPOINTS -> "endpoints";
      default -> typeUrl.substring(typeUrl.lastIndexOf('.') + 1);
    };
  }

  private static Map<String, String> nonNull(Map<String, String> sent) {
    Map<String, String> out = new HashMap<>();
    sent.forEach(
        (k, v) -> {
          if (v != null) {
            out.put(k, v);
          }
        });
    return out;
  }

  static boolean tracked(String typeUrl) {
    return typeUrl.equals(CLUSTERS)
        || typeUrl.equals(LISTENERS)
        || typeUrl.equals(ROUTES)
        || typeUrl.equals(ENDPOINTS);
  }

  private static com.google.protobuf.@org.jspecify.annotations.Nullable Message unpack(
      String typeUrl, Any any) {
    try {
      return switch (typeUrl) {
        case CLUSTERS -> any.unpack(Cluster.class);
        case LISTENERS -> any.unpack(Listener.class);
        case ROUTES -> any.unpack(RouteConfiguration.class);
        case ENDPOINTS -> any.unpack(ClusterLoadAssignment.class);
        default -> null;
      };
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  private static String name(Message m) {
    if (m instanceof Cluster c) {
      return c.getName();
    }
    if (m instanceof Listener l) {
      return l.getName();
    }
    if (m instanceof ClusterLoadAssignment a) {
      return a.getClusterName();
    }
    return ((RouteConfiguration) m).getName();
  }
}
