package io.gangway.xds;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.gangway.model.ClusterSpec;
import io.gangway.model.Destination;
import io.gangway.model.GatewayModel;
import io.gangway.model.NamedMatch;
import io.gangway.model.Route;
import io.gangway.model.StringMatch;
import io.gangway.spi.registry.Endpoint;
import io.gangway.spi.registry.EndpointSet;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code XdsTranslator} turns the model into Envoy resources.
 *
 * <p>The split follows what changes together: {@link #translate} builds listeners, routes and
 * clusters from the model (route edits), {@link #endpoints} builds only EDS (registry changes), so
 * an instance change never touches the other types. Listeners depend on {@link ListenerSettings}
 * only, which is why a route edit leaves them byte-identical and Envoy never drains a connection
 * for it.
 *
 * <p>A TLS listener ({@link ListenerSettings#tls()}) exists only while some host has a certificate
 * (an Envoy listener needs at least one filter chain): it has one filter chain per certificate,
 * matched by SNI, and its own route table without the HTTPS redirects. Its filter chains depend on
 * which hosts have which certificate, never on the certificates' content, which travels in SDS
 * secrets: a rotation changes one Secret and leaves the listener byte-identical. Output is
 * deterministic. Thread-safe once constructed.
 *
 * <p>Each virtual host of the last translation is kept with the model it was built from, and reused
 * when the same listener's table has an equal one: features are stateless and see only the virtual
 * host and the table, so an equal input builds an equal output. An edit of one host among many
 * rebuilds that host only (100,000 routes: bench/scale-live.sh). Clusters are kept the same way,
 * with their spec and their service's endpoint set, which is all a feature's {@link
 * XdsFeature#patchCluster} may read: a route edit among 5,000 services rebuilds none of them.
 */
public final class XdsTranslator {

  private static final ConfigSource ADS =
      ConfigSource.newBuilder()
          .setAds(AggregatedConfigSource.getDefaultInstance())
          .setResourceApiVersion(ApiVersion.V3)
          .build();

  private final List<ListenerSettings> listeners;
  private final List<XdsFeature> features;
  private final Duration connectTimeout;
  private final List<CertificateFile> certificateFiles;
  private final int httpsPort;
  // Listener name -> host -> the virtual host last built for it, with its model.
  private final Map<String, Map<String, BuiltHost>> built =
      new java.util.concurrent.ConcurrentHashMap<>();

  private record BuiltHost(io.gangway.model.VirtualHost source, VirtualHost xds) {}

  // Cluster name -> the cluster last built, with its spec and its service's endpoints.
  private final java.util.concurrent.atomic.AtomicReference<Map<String, BuiltCluster>>
      builtClusters = new java.util.concurrent.atomic.AtomicReference<>(Map.of());

  private record BuiltCluster(ClusterSpec spec, @Nullable EndpointSet endpoints, Cluster xds) {}

  /**
   * Creates a translator.
   *
   * @param listeners the HTTP and HTTPS listeners; every listener serves the same virtual hosts
   * @param features applied in order to every resource
   * @param connectTimeout upstream connect timeout
   * @param certificateFiles the certificates configured by file; carried for the process, which
   *     loads them into the model ({@link GatewayModel#withFallbackTls}), not read here
   */
  public XdsTranslator(
      List<ListenerSettings> listeners,
      List<XdsFeature> features,
      java.time.Duration connectTimeout,
      List<CertificateFile> certificateFiles) {
    this.listeners = List.copyOf(listeners);
    this.features = List.copyOf(features);
    this.connectTimeout =
        Duration.newBuilder()
            .setSeconds(connectTimeout.getSeconds())
            .setNanos(connectTimeout.getNano())
            .build();
    this.certificateFiles = List.copyOf(certificateFiles);
    this.httpsPort =
        listeners.stream()
            .filter(ListenerSettings::tls)
            .mapToInt(ListenerSettings::port)
            .findFirst()
            .orElse(443);
  }

  /** Creates a translator without certificate files. */
  public XdsTranslator(
      List<ListenerSettings> listeners,
      List<XdsFeature> features,
      java.time.Duration connectTimeout) {
    this(listeners, features, connectTimeout, List.of());
  }

  /** Returns the certificates configured by file, for the process to load. */
  public List<CertificateFile> certificateFiles() {
    return certificateFiles;
  }

  /** Returns whether some listener terminates TLS. */
  public boolean hasTlsListeners() {
    return listeners.stream().anyMatch(ListenerSettings::tls);
  }

  /**
   * Builds LDS, RDS, CDS and SDS for {@code model}, and EDS from {@code endpoints} (keyed by
   * service host). Server certificates are served only when a TLS listener uses them; the secrets
   * features refer to (client certificates, CA bundles: {@link XdsFeature#extraSecrets}) always.
   */
  public XdsResources translate(GatewayModel model, Map<String, EndpointSet> endpoints) {
    List<Listener> ls = new ArrayList<>();
    List<RouteConfiguration> rs = new ArrayList<>();
    boolean tls = false;
    for (ListenerSettings s : listeners) {
      if (s.tls() && model.tls().isEmpty()) {
        continue; // no certificate yet: Envoy rejects a listener without filter chains
      }
      tls |= s.tls();
      ls.add(listener(s, model));
      rs.add(routeConfiguration(new RouteTable(s, httpsPort), model));
    }
    List<io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret> secrets =
        new ArrayList<>(tls ? Tls.secrets(model) : List.of());
    XdsContext context = new XdsContext(model, endpoints);
    java.util.Set<String> names = new java.util.HashSet<>();
    secrets.forEach(x -> names.add(x.getName()));
    features.forEach(
        f ->
            f.extraSecrets(context).stream()
                .filter(x -> names.add(x.getName()))
                .forEach(secrets::add));
    secrets.sort(
        Comparator.comparing(
            io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret::getName));
    return new XdsResources(
        ls, rs, clusters(model, endpoints), endpoints(model, endpoints), secrets);
  }

  /**
   * Builds CDS. A cluster whose routes asked for no particular protocol takes it from its
   * instances' {@code protocol} metadata (first instance, as Higress), so a gRPC or HTTP/2 service
   * registered with that metadata is proxied over HTTP/2 without an annotation. An explicit
   * backend-protocol or registry {@code protocol} other than HTTP wins.
   */
  public List<Cluster> clusters(GatewayModel model, Map<String, EndpointSet> endpoints) {
    XdsContext context = new XdsContext(model, endpoints);
    List<Cluster> out = new ArrayList<>();
    Map<String, BuiltCluster> before = builtClusters.get();
    Map<String, BuiltCluster> now = new java.util.HashMap<>();
    for (ClusterSpec c : model.clusters()) {
      EndpointSet set = endpoints.get(c.serviceHost());
      BuiltCluster last = before.get(c.name());
      Cluster x =
          last != null && last.spec().equals(c) && java.util.Objects.equals(last.endpoints(), set)
              ? last.xds()
              : cluster(c, context);
      now.put(c.name(), new BuiltCluster(c, set, x));
      out.add(x);
    }
    builtClusters.set(now);
    features.forEach(f -> out.addAll(f.extraClusters(context)));
    return out;
  }

  /**
   * Builds EDS only: one assignment per cluster of {@code model}, empty when the service has no
   * instances.
   */
  public List<ClusterLoadAssignment> endpoints(
      GatewayModel model, Map<String, EndpointSet> endpoints) {
    XdsContext context = new XdsContext(model, endpoints);
    List<ClusterLoadAssignment> out = new ArrayList<>();
    for (ClusterSpec c : model.clusters()) {
      EndpointSet set = endpoints.get(c.serviceHost());
      LocalityLbEndpoints.Builder locality =
          LocalityLbEndpoints.newBuilder().setLoadBalancingWeight(UInt32Value.of(1));
      if (set != null) {
        for (Endpoint e : set.endpoints()) {
          locality.addLbEndpoints(
              LbEndpoint.newBuilder()
                  .setEndpoint(
                      io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
                          .setAddress(socket(e.address(), e.port())))
                  .setLoadBalancingWeight(UInt32Value.of(e.weight())));
        }
      }
      ClusterLoadAssignment.Builder cla =
          ClusterLoadAssignment.newBuilder().setClusterName(c.name());
      if (locality.getLbEndpointsCount() > 0) {
        cla.addEndpoints(locality);
      }
      features.forEach(f -> f.patchEndpoints(cla, c, context));
      out.add(cla.build());
    }
    return out;
  }

  private Listener listener(ListenerSettings s, GatewayModel model) {
    HttpConnectionManager.Builder hcm =
        HttpConnectionManager.newBuilder()
            .setStatPrefix(s.name())
            .setCodecType(HttpConnectionManager.CodecType.AUTO)
            .setRds(Rds.newBuilder().setConfigSource(ADS).setRouteConfigName(s.name()));
    features.forEach(f -> f.patchHttpConnectionManager(hcm, s));
    // Policy filters, installed in every connection manager in FilterOrder (stable for equal
    // orders) and
    // enabled per route, so a policy edit never changes a listener.
    features.stream()
        .flatMap(f -> f.httpFilters(s).stream())
        .sorted(Comparator.comparingInt(HttpFilterSlot::order))
        .forEach(slot -> hcm.addHttpFilters(slot.filter()));
    hcm.addHttpFilters(
        HttpFilter.newBuilder()
            .setName("envoy.filters.http.router")
            .setTypedConfig(Any.pack(Router.getDefaultInstance())));
    Filter filter =
        Filter.newBuilder()
            .setName("envoy.filters.network.http_connection_manager")
            .setTypedConfig(Any.pack(hcm.build()))
            .build();
    Listener.Builder l =
        Listener.newBuilder().setName(s.name()).setAddress(socket(s.address(), s.port()));
    if (s.tls()) {
      l.addListenerFilters(Tls.inspector())
          .addAllFilterChains(Tls.filterChains(model, filter, ADS, features));
    } else {
      l.addFilterChains(FilterChain.newBuilder().addFilters(filter));
    }
    return l.build();
  }

  private RouteConfiguration routeConfiguration(RouteTable table, GatewayModel model) {
    RouteConfiguration.Builder rc =
        RouteConfiguration.newBuilder().setName(table.listener().name());
    Map<String, BuiltHost> before = built.getOrDefault(table.listener().name(), Map.of());
    Map<String, BuiltHost> now = new java.util.HashMap<>();
    for (io.gangway.model.VirtualHost vh : model.virtualHosts()) {
      BuiltHost last = before.get(vh.host());
      VirtualHost v =
          last != null && last.source().equals(vh) ? last.xds() : virtualHost(vh, table);
      now.put(vh.host(), new BuiltHost(vh, v));
      rc.addVirtualHosts(v);
    }
    built.put(table.listener().name(), now);
    features.forEach(f -> f.patchRouteConfiguration(rc, table));
    return rc.build();
  }

  private VirtualHost virtualHost(io.gangway.model.VirtualHost vh, RouteTable table) {
    VirtualHost.Builder v = VirtualHost.newBuilder().setName(vh.host()).addDomains(vh.host());
    for (Route r : vh.routes()) {
      v.addRoutes(route(r, table));
    }
    features.forEach(f -> f.patchVirtualHost(v, vh, table));
    return v.build();
  }

  private io.envoyproxy.envoy.config.route.v3.Route route(Route r, RouteTable table) {
    io.envoyproxy.envoy.config.route.v3.Route.Builder b =
        io.envoyproxy.envoy.config.route.v3.Route.newBuilder()
            .setName(r.name())
            .setMatch(match(r.match()));
    if (r.action() instanceof io.gangway.model.RouteAction.Forward f) {
      RouteAction.Builder action = RouteAction.newBuilder();
      if (f.destinations().size() == 1) {
        action.setCluster(f.destinations().get(0).cluster());
      } else {
        WeightedCluster.Builder wc = WeightedCluster.newBuilder();
        for (Destination d : f.destinations()) {
          wc.addClusters(
              WeightedCluster.ClusterWeight.newBuilder()
                  .setName(d.cluster())
                  .setWeight(UInt32Value.of(d.weight())));
        }
        action.setWeightedClusters(wc);
      }
      b.setRoute(action);
    } else if (r.action() instanceof io.gangway.model.RouteAction.DirectResponse d) {
      b.setDirectResponse(
          DirectResponseAction.newBuilder()
              .setStatus(d.status())
              .setBody(DataSource.newBuilder().setInlineString(d.body())));
    }
    features.forEach(f -> f.patchRoute(b, r, table));
    return b.build();
  }

  private static RouteMatch match(io.gangway.model.RouteMatch rm) {
    RouteMatch.Builder b = RouteMatch.newBuilder();
    io.gangway.model.PathMatch m = rm.path();
    switch (m.kind()) {
      case EXACT -> b.setPath(m.value());
      case PREFIX -> {
        if (m.value().equals("/")) {
          b.setPrefix("/");
        } else {
          // Segment-aware: /foo matches /foo and /foo/x but not /foobar.
          b.setPathSeparatedPrefix(m.value());
        }
      }
      case REGEX -> b.setSafeRegex(RegexMatcher.newBuilder().setRegex(m.value()));
    }
    if (rm.ignoreCase()) {
      b.setCaseSensitive(com.google.protobuf.BoolValue.of(false));
    }
    if (!rm.methods().isEmpty()) {
      // As Higress: one regex over the method pseudo-header.
      b.addHeaders(
          HeaderMatcher.newBuilder()
              .setName(":method")
              .setStringMatch(
                  StringMatcher.newBuilder()
                      .setSafeRegex(
                          RegexMatcher.newBuilder().setRegex(String.join("|", rm.methods())))));
    }
    for (NamedMatch h : rm.headers()) {
      b.addHeaders(
          HeaderMatcher.newBuilder().setName(h.name()).setStringMatch(stringMatcher(h.match())));
    }
    for (NamedMatch q : rm.queryParameters()) {
      b.addQueryParameters(
          QueryParameterMatcher.newBuilder()
              .setName(q.name())
              .setStringMatch(stringMatcher(q.match())));
    }
    return b.build();
  }

  private static StringMatcher stringMatcher(StringMatch m) {
    StringMatcher.Builder b = StringMatcher.newBuilder();
    switch (m.kind()) {
      case EXACT -> b.setExact(m.value());
      case PREFIX -> b.setPrefix(m.value());
      case REGEX -> b.setSafeRegex(RegexMatcher.newBuilder().setRegex(m.value()));
    }
    return b.build();
  }

  private Cluster cluster(ClusterSpec spec, XdsContext context) {
    Cluster.Builder b =
        Cluster.newBuilder()
            .setName(spec.name())
            .setType(Cluster.DiscoveryType.EDS)
            .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS))
            .setConnectTimeout(connectTimeout)
            .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN);
    features.forEach(f -> f.patchCluster(b, spec, context));
    return b.build();
  }

  private static Address socket(String address, int port) {
    return Address.newBuilder()
        .setSocketAddress(SocketAddress.newBuilder().setAddress(address).setPortValue(port))
        .build();
  }
}
