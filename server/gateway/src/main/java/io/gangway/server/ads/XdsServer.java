package io.gangway.server.ads;

import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code XdsServer} serves ADS (and the per-type services) from the publisher's cache over
 * grpc-java. It logs every NACK with Envoy's error detail, since a NACK means Envoy kept its
 * previous config. Start only after the first snapshot is published, so a connecting Envoy never
 * sees an empty config.
 */
public final class XdsServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(XdsServer.class);

  private final Server server;
  private final Set<Long> streams = ConcurrentHashMap.newKeySet();
  // Envoy sends its node only on a stream's first request (set_node_on_first_message_only).
  private final Map<Long, String> nodes = new ConcurrentHashMap<>();
  private final Map<Long, java.time.Instant> opened = new ConcurrentHashMap<>();
  // What each Envoy ACKed, for the publisher's make-before-break rollout.
  private final AckTracker acks;

  /** Builds (does not start) a server on {@code address} backed by {@code publisher}. */
  public XdsServer(InetSocketAddress address, SnapshotPublisher publisher) {
    this.acks = publisher.acks();
    V3DiscoveryServer discovery =
        new V3DiscoveryServer(
            java.util.List.of(new Callbacks()),
            publisher.cache(),
            new io.envoyproxy.controlplane.server.DefaultExecutorGroup(),
            new PackedResources());
    this.server =
        NettyServerBuilder.forAddress(address)
            .addService(discovery.getAggregatedDiscoveryServiceImpl())
            .addService(discovery.getClusterDiscoveryServiceImpl())
            .addService(discovery.getEndpointDiscoveryServiceImpl())
            .addService(discovery.getListenerDiscoveryServiceImpl())
            .addService(discovery.getRouteDiscoveryServiceImpl())
            .addService(discovery.getSecretDiscoveryServiceImpl())
            // Envoy pings the control plane every 30 s (bootstrap keepalive); allow it.
            .permitKeepAliveTime(10, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            .keepAliveTime(30, TimeUnit.SECONDS)
            .maxInboundMessageSize(16 * 1024 * 1024)
            .build();
  }

  /** Binds the port; throws {@link IOException} when it is in use. */
  public void start() throws IOException {
    server.start();
  }

  /** Returns the bound port. */
  public int port() {
    return server.getPort();
  }

  /**
   * Returns what each connected Envoy runs, per resource type: ACKed versions, unanswered responses
   * and an open NACK. One entry per open ADS stream, in stream order.
   */
  public java.util.List<EnvoyStatus> envoys() {
    java.util.List<EnvoyStatus> out = new java.util.ArrayList<>();
    for (Long id : new java.util.TreeSet<>(streams)) {
      out.add(
          new EnvoyStatus(
              id, nodes.get(id), opened.getOrDefault(id, java.time.Instant.EPOCH), acks.types(id)));
    }
    return out;
  }

  /** Returns the process-lifetime response/ACK/NACK totals per resource type, for metrics. */
  public Map<String, EnvoyStatus.Totals> totals() {
    return acks.totals();
  }

  /** Returns the number of open xDS streams (one ADS stream per connected Envoy). */
  public int openStreams() {
    return streams.size();
  }

  @Override
  public void close() {
    server.shutdown();
    try {
      if (!server.awaitTermination(3, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private final class Callbacks implements DiscoveryServerCallbacks {
    @Override
    public void onStreamOpen(long streamId, String typeUrl) {
      streams.add(streamId);
      opened.put(streamId, java.time.Instant.now());
      log.info("xDS stream {} opened ({})", streamId, typeUrl.isEmpty() ? "ADS" : typeUrl);
    }

    @Override
    public void onStreamClose(long streamId, String typeUrl) {
      streams.remove(streamId);
      nodes.remove(streamId);
      opened.remove(streamId);
      acks.closed(streamId);
      log.info("xDS stream {} closed", streamId);
    }

    @Override
    public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
      streams.remove(streamId);
      nodes.remove(streamId);
      opened.remove(streamId);
      acks.closed(streamId);
      log.info("xDS stream {} closed: {}", streamId, error.getMessage());
    }

    @Override
    public void onV3StreamResponse(
        long streamId, DiscoveryRequest request, DiscoveryResponse response) {
      acks.response(streamId, response);
    }

    @Override
    public void onV3StreamDeltaResponse(
        long streamId, DeltaDiscoveryRequest request, DeltaDiscoveryResponse response) {
      acks.deltaResponse(streamId, response);
    }

    @Override
    public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
      acks.request(streamId, request);
      if (request.hasNode()) {
        nodes.put(streamId, request.getNode().getId());
      }
      // AckTracker logs the NACKs of the types it tracks, once per rejection; log the others here.
      if (request.hasErrorDetail() && !AckTracker.tracked(request.getTypeUrl())) {
        log.warn(
            "Envoy {} rejected {} version {}: {}",
            nodes.get(streamId),
            request.getTypeUrl(),
            request.getVersionInfo(),
            request.getErrorDetail().getMessage());
      }
    }

    @Override
    public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
      acks.deltaRequest(streamId, request);
      if (request.hasNode()) {
        nodes.put(streamId, request.getNode().getId());
      }
      // AckTracker logs the NACKs of the types it tracks, once per rejection; log the others here.
      if (request.hasErrorDetail() && !AckTracker.tracked(request.getTypeUrl())) {
        log.warn(
            "Envoy {} rejected {}: {}",
            nodes.get(streamId),
            request.getTypeUrl(),
            request.getErrorDetail().getMessage());
      }
    }
  }
}
