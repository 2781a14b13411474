package io.gangway.bootstrap;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
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
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.metrics.v3.StatsConfig;
import io.envoyproxy.envoy.config.metrics.v3.StatsMatcher;
import io.envoyproxy.envoy.config.metrics.v3.TagSpecifier;
import io.envoyproxy.envoy.config.overload.v3.OverloadManager;
import io.envoyproxy.envoy.config.overload.v3.ResourceMonitor;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.resource_monitors.downstream_connections.v3.DownstreamConnectionsConfig;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.type.matcher.v3.ListStringMatcher;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;

/**
 * {@code BootstrapRenderer} builds the Envoy bootstrap as a proto (so the compiler checks field
 * names) and prints it as JSON, which Envoy reads as YAML. Static: the xDS cluster, and the stats
 * listener with its cluster to the admin API; everything else arrives over ADS. The stats
 * configuration keeps an inclusion list, so the number of series grows with the clusters, not with
 * the routes. Stateless.
 */
public final class BootstrapRenderer {

  static final String XDS_CLUSTER = "gangway_xds";

  /** The stats listener's name and stat prefix. */
  static final String STATS_LISTENER = "gangway_stats";

  /** The static cluster to Envoy's own admin API; only the stats listener routes to it. */
  static final String ADMIN_CLUSTER = "gangway_envoy_admin";

  /** The only path the stats listener forwards to the admin API. */
  static final String STATS_PATH = "/stats/prometheus";

  /**
   * A stat-name fragment that matches any cluster name segment except {@code .external} and {@code
   * .internal}: Envoy repeats the upstream request counters and histograms under {@code
   * cluster.<name>.external.} (all gateway traffic is external), which would double the per-cluster
   * series. RE2 has no look-ahead, hence the spelled-out alternatives.
   */
  private static final String NOT_EXTERNAL_OR_INTERNAL =
      "(?:[^l]|[^a]l|[^n]al|[^r]nal|[^e]rnal|[^t]ernal|[^xn]ternal|[^e]xternal|[^i]nternal"
          + "|[^.]external|[^.]internal)";

  /**
   * The stats Envoy keeps (every other stat is never created). Server, cluster-manager,
   * listener-manager, control-plane and runtime stats are a fixed set; per connection manager only
   * the downstream request stats, and the public listeners' active connections (the supervisor's
   * drain reads them); per cluster only the request, latency, connect-failure, timeout, retry,
   * outlier, health-check and membership stats. Nothing is kept per route or per virtual host.
   */
  static final List<StringMatcher> STATS_INCLUSIONS =
      List.of(
          prefix("server."),
          prefix("cluster_manager."),
          prefix("listener_manager."),
          prefix("control_plane."),
          prefix("runtime."),
          regex("^http\\..*\\.downstream_rq_[a-z0-9_]+$"),
          // RDS: one route configuration per listener; config_reload, update_rejected, version...
          regex("^http\\..*\\.rds\\..*"),
          // The local rate limit's counters (per listener; the filter is in every manager).
          regex("^http\\..*\\.route_local_rate_limit\\..*"),
          // Only the public listeners' (http.<port>, https.<port>): the supervisor's drain waits
          // for their sum to reach 0, and a scraper's keep-alive connection to the stats listener
          // must not hold it up.
          regex("^http\\.https?\\.[0-9]+\\.downstream_cx_active$"),
          regex(
              "^cluster\\..*"
                  + NOT_EXTERNAL_OR_INTERNAL
                  + "\\.(?:upstream_rq_total|upstream_rq_[1-5]xx|upstream_rq_time|upstream_rq_timeout"
                  + "|upstream_rq_per_try_timeout"
                  + "|upstream_rq_retry|upstream_cx_connect_fail|membership_healthy|membership_total)$"),
          regex(
              "^cluster\\..*"
                  + NOT_EXTERNAL_OR_INTERNAL
                  + "\\.(?:outlier_detection|health_check)\\.[a-z_]+$"));

  /**
   * The tags (Prometheus labels). Envoy's default {@code envoy.cluster_name} extractor stops at the
   * first dot, which cuts {@code outbound|80||a.static} to {@code outbound|80||a}, and its default
   * connection-manager prefix cuts {@code http.8080} to {@code http}; these take the whole name up
   * to a known stat. The defaults cannot be overridden one by one (Envoy skips a duplicate tag), so
   * {@code use_all_default_tags} is off and the needed defaults are named.
   */
  static final List<TagSpecifier> STATS_TAGS =
      List.of(
          TagSpecifier.newBuilder()
              .setTagName("envoy.cluster_name")
              .setRegex(
                  "^cluster\\.((.+)\\.)(?:upstream_|membership_|outlier_detection\\.|health_check\\.)")
              .build(),
          TagSpecifier.newBuilder()
              .setTagName("envoy.http_conn_manager_prefix")
              .setRegex("^http\\.((https?\\.\\d+|[^.]+)\\.)")
              .build(),
          TagSpecifier.newBuilder()
              .setTagName("envoy.rds_route_config")
              .setRegex("^http\\.(?:https?\\.\\d+|[^.]+)\\.rds\\.((.+)\\.)[a-z_]+$")
              .build(),
          TagSpecifier.newBuilder().setTagName("envoy.response_code_class").build(),
          TagSpecifier.newBuilder().setTagName("envoy.worker_id").build());

  private static final JsonFormat.Printer PRINTER =
      JsonFormat.printer()
          .usingTypeRegistry(
              JsonFormat.TypeRegistry.newBuilder()
                  .add(HttpProtocolOptions.getDescriptor())
                  .add(DownstreamConnectionsConfig.getDescriptor())
                  .add(HttpConnectionManager.getDescriptor())
                  .add(Router.getDescriptor())
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
        .setStaticResources(
            Bootstrap.StaticResources.newBuilder()
                .addClusters(xdsCluster(spec))
                .addClusters(
                    staticCluster(ADMIN_CLUSTER, socket(spec.adminAddress(), spec.adminPort())))
                .addListeners(statsListener(spec)))
        .setStatsConfig(
            StatsConfig.newBuilder()
                .setUseAllDefaultTags(BoolValue.of(false))
                .addAllStatsTags(STATS_TAGS)
                .setStatsMatcher(
                    StatsMatcher.newBuilder()
                        .setInclusionList(
                            ListStringMatcher.newBuilder().addAllPatterns(STATS_INCLUSIONS))))
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

  /**
   * The stats listener: {@code GET /stats/prometheus} (exact path) goes to the admin API, every
   * other request gets 404 from Envoy itself, so no other admin endpoint is reachable through it.
   */
  private static Listener statsListener(BootstrapSpec spec) {
    RouteConfiguration routes =
        RouteConfiguration.newBuilder()
            .setName(STATS_LISTENER)
            .addVirtualHosts(
                VirtualHost.newBuilder()
                    .setName(STATS_LISTENER)
                    .addDomains("*")
                    .addRoutes(
                        Route.newBuilder()
                            .setMatch(
                                RouteMatch.newBuilder()
                                    .setPath(STATS_PATH)
                                    .addHeaders(
                                        HeaderMatcher.newBuilder()
                                            .setName(":method")
                                            .setStringMatch(
                                                StringMatcher.newBuilder().setExact("GET"))))
                            .setRoute(RouteAction.newBuilder().setCluster(ADMIN_CLUSTER)))
                    .addRoutes(
                        Route.newBuilder()
                            .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                            .setDirectResponse(DirectResponseAction.newBuilder().setStatus(404))))
            .build();
    HttpConnectionManager hcm =
        HttpConnectionManager.newBuilder()
            .setStatPrefix(STATS_LISTENER)
            .setCodecType(HttpConnectionManager.CodecType.AUTO)
            .setRouteConfig(routes)
            .addHttpFilters(
                HttpFilter.newBuilder()
                    .setName("envoy.filters.http.router")
                    .setTypedConfig(Any.pack(Router.getDefaultInstance())))
            .build();
    return Listener.newBuilder()
        .setName(STATS_LISTENER)
        .setAddress(socket(spec.statsAddress(), spec.statsPort()))
        .addFilterChains(
            FilterChain.newBuilder()
                .addFilters(
                    Filter.newBuilder()
                        .setName("envoy.filters.network.http_connection_manager")
                        .setTypedConfig(Any.pack(hcm))))
        .build();
  }

  private static Cluster staticCluster(String name, Address address) {
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.STATIC)
        .setConnectTimeout(Duration.newBuilder().setSeconds(1))
        .setLoadAssignment(
            ClusterLoadAssignment.newBuilder()
                .setClusterName(name)
                .addEndpoints(
                    LocalityLbEndpoints.newBuilder()
                        .addLbEndpoints(
                            LbEndpoint.newBuilder()
                                .setEndpoint(Endpoint.newBuilder().setAddress(address)))))
        .build();
  }

  private static StringMatcher prefix(String prefix) {
    return StringMatcher.newBuilder().setPrefix(prefix).build();
  }

  private static StringMatcher regex(String regex) {
    return StringMatcher.newBuilder()
        .setSafeRegex(RegexMatcher.newBuilder().setRegex(regex))
        .build();
  }

  private static Address socket(String address, int port) {
    return Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress(address).setPortValue(port))
        .build();
  }
}
