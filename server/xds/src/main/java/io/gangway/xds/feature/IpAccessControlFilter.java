package io.gangway.xds.feature;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute;
import io.gangway.model.policy.IpAccessControl;
import io.gangway.xds.FilterOrder;
import io.gangway.xds.HttpFilterSlot;
import io.gangway.xds.ListenerSettings;
import io.gangway.xds.PerRouteFilter;
import io.gangway.xds.XdsFeature;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code IpAccessControlFilter} enforces {@link IpAccessControl} with Envoy's RBAC filter,
 * installed disabled in every connection manager (first, at {@link FilterOrder#ACCESS_CONTROL}) and
 * enabled on the routes that have the policy: one {@code ALLOW} policy whose principal is "in an
 * allowed range and in no denied one"; any other client gets {@code 403}. Ranges match the {@code
 * remote_ip} principal, the client address the connection manager derives (the peer, or the {@code
 * X-Forwarded-For} entry {@code xff_num_trusted_hops} designates), not {@code direct_remote_ip}
 * (always the peer), so a gateway behind a trusted load balancer filters on the real client.
 */
final class IpAccessControlFilter implements XdsFeature {

  static final String FILTER = "envoy.filters.http.rbac";

  @Override
  public List<HttpFilterSlot> httpFilters(ListenerSettings settings) {
    // No rules at listener level: the filter does nothing where no route enables it.
    return List.of(
        PerRouteFilter.disabled(FilterOrder.ACCESS_CONTROL, FILTER, RBAC.getDefaultInstance()));
  }

  @Override
  public void patchRoute(Route.Builder route, io.gangway.model.Route source) {
    source
        .policies()
        .get(IpAccessControl.class)
        .ifPresent(
            acl ->
                PerRouteFilter.enable(
                    route,
                    FILTER,
                    RBACPerRoute.newBuilder()
                        .setRbac(RBAC.newBuilder().setRules(rules(acl)))
                        .build()));
  }

  private static io.envoyproxy.envoy.config.rbac.v3.RBAC rules(IpAccessControl acl) {
    List<Principal> parts = new ArrayList<>();
    if (!acl.allow().isEmpty()) {
      parts.add(anyOf(acl.allow()));
    }
    if (!acl.deny().isEmpty()) {
      parts.add(Principal.newBuilder().setNotId(anyOf(acl.deny())).build());
    }
    Principal who =
        parts.size() == 1
            ? parts.get(0)
            : Principal.newBuilder().setAndIds(Principal.Set.newBuilder().addAllIds(parts)).build();
    return io.envoyproxy
        .envoy
        .config
        .rbac
        .v3
        .RBAC
        .newBuilder()
        .setAction(io.envoyproxy.envoy.config.rbac.v3.RBAC.Action.ALLOW)
        .putPolicies(
            "ip-access-control",
            io.envoyproxy.envoy.config.rbac.v3.Policy.newBuilder()
                .addPermissions(Permission.newBuilder().setAny(true))
                .addPrincipals(who)
                .build())
        .build();
  }

  private static Principal anyOf(List<String> ranges) {
    Principal.Set.Builder set = Principal.Set.newBuilder();
    for (String r : ranges) {
      int slash = r.indexOf('/');
      set.addIds(
          Principal.newBuilder()
              .setRemoteIp(
                  CidrRange.newBuilder()
                      .setAddressPrefix(r.substring(0, slash))
                      .setPrefixLen(UInt32Value.of(Integer.parseInt(r.substring(slash + 1))))));
    }
    return Principal.newBuilder().setOrIds(set).build();
  }
}
