package io.gangway.bootstrap;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.bootstrap.v3.Admin;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.BackoffStrategy;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.KeepaliveSettings;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.RetryPolicy;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.overload.v3.OverloadManager;
import io.envoyproxy.envoy.config.overload.v3.ResourceMonitor;
import io.envoyproxy.envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

/**
 * {@code BootstrapRenderer} builds the Envoy bootstrap as a proto (so the compiler checks field
 * names) and prints it as JSON, which Envoy reads as YAML. Only the xDS cluster is static;
 * everything else arrives over ADS. Stateless.
 */
public final class BootstrapRenderer {

  static final String XDS_CLUSTER = "gangway_xds";

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer()
          .usingTypeRegistry(
              JsonFormat.TypeRegistry.newBuilder()
                  .add(HttpProtocolOptions.getDescriptor())
                  .add(DownstreamConnectionsConfig.getDescriptor())
                  .build());

  private BootstrapRenderer() {}

  /** Returns the bootstrap for {@code spec}. */
  public static Bootstrap render(BootstrapSpec spec) {
    ConfigSource ads =
        ConfigSource.newBuilder()
            .setAds(AggregatedConfigSource.getDefaultInstance())
            .setResourceApiVersion(ApiVersion.V3)
            .build();
    return Bootstrap.newBuilder()
        .setNode(Node.newBuilder().setId(spec.nodeId()).setCluster(spec.nodeCluster()))
        .setAdmin(Admin.newBuilder().setAddress(socket(spec.adminAddress(), spec.adminPort())))
        .setDynamicResources(
            Bootstrap.DynamicResources.newBuilder()
                .setAdsConfig(
                    ApiConfigSource.newBuilder()
                        .setApiType(
                            spec.delta()
                                ? ApiConfigSource.ApiType.DELTA_GRPC
                                : ApiConfigSource.ApiType.GRPC)
                        .setTransportApiVersion(ApiVersion.V3)
                        .setSetNodeOnFirstMessageOnly(true)
                        .addGrpcServices(
                            GrpcService.newBuilder()
                                .setEnvoyGrpc(
                                    GrpcService.EnvoyGrpc.newBuilder()
                                        .setClusterName(XDS_CLUSTER)
                                        // EnvoyGrpc.retry_policy is the xDS stream's reconnect
                                        // backoff. Envoy's default
                                        // (0.5 s doubling to 30 s) left Envoy up to ~15 s without a
                                        // control plane after a
                                        // JVM restart; retry every 0.1-1 s instead (a loopback
                                        // connect is cheap).
                                        .setRetryPolicy(
                                            RetryPolicy.newBuilder()
                                                .setRetryBackOff(
                                                    BackoffStrategy.newBuilder()
                                                        .setBaseInterval(
                                                            Duration.newBuilder()
                                                                .setNanos(100_000_000))
                                                        .setMaxInterval(
                                                            Duration.newBuilder()
                                                                .setSeconds(1)))))))
                .setLdsConfig(ads)
                .setCdsConfig(ads))
        .setStaticResources(Bootstrap.StaticResources.newBuilder().addClusters(xdsCluster(spec)))
        .setOverloadManager(
            OverloadManager.newBuilder()
                .addResourceMonitors(
                    ResourceMonitor.newBuilder()
                        .setName("envoy.resource_monitors.global_downstream_max_connections")
                        .setTypedConfig(
                            Any.pack(
                                DownstreamConnectionsConfig.newBuilder()
                                    .setMaxActiveDownstreamConnections(
                                        spec.maxDownstreamConnections())
                                    .build()))))
        .build();
  }

  /** Returns the bootstrap for {@code spec} as indented JSON. */
  public static String renderJson(BootstrapSpec spec) {
    try {
      return PRINTER.print(render(spec)) + "\n";
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("bootstrap cannot be printed", e);
    }
  }

  private static Cluster xdsCluster(BootstrapSpec spec) {
    HttpProtocolOptions h2 =
        HttpProtocolOptions.newBuilder()
            .setExplicitHttpConfig(
                HttpProtocolOptions.ExplicitHttpConfig.newBuilder()
                    .setHttp2ProtocolOptions(
                        Http2ProtocolOptions.newBuilder()
                            // Detect a dead control plane on an idle stream within ~35 s.
                            .setConnectionKeepalive(
                                KeepaliveSettings.newBuilder()
                                    .setInterval(Duration.newBuilder().setSeconds(30))
                                    .setTimeout(Duration.newBuilder().setSeconds(5)))))
            .build();
    return Cluster.newBuilder()
        .setName(XDS_CLUSTER)
        .setType(Cluster.DiscoveryType.STATIC)
        .setConnectTimeout(Duration.newBuilder().setSeconds(1))
        .putTypedExtensionProtocolOptions(
            "envoy.extensions.upstreams.http.v3.HttpProtocolOptions", Any.pack(h2))
        .setLoadAssignment(
            ClusterLoadAssignment.newBuilder()
                .setClusterName(XDS_CLUSTER)
                .addEndpoints(
                    LocalityLbEndpoints.newBuilder()
                        .addLbEndpoints(
                            LbEndpoint.newBuilder()
                                .setEndpoint(
                                    Endpoint.newBuilder()
                                        .setAddress(socket(spec.xdsAddress(), spec.xdsPort()))))))
        .build();
  }

  private static Address socket(String address, int port) {
    return Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress(address).setPortValue(port))
        .build();
  }
}
