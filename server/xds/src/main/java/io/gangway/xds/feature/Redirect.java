package io.gangway.xds.feature;

import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.gangway.model.policy.AppRoot;
import io.gangway.model.policy.HttpsRedirect;
import io.gangway.model.policy.UrlRedirect;
import io.gangway.xds.RouteTable;
import io.gangway.xds.XdsFeature;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code Redirect} turns the redirect policies into Envoy redirect routes, as Higress does:
 *
 * <ul>
 *   <li>{@link UrlRedirect} ({@code permanent-/temporal-redirect}): the route answers with the
 *       policy's code and a {@code Location} of its scheme, host, port and path (no path keeps the
 *       request's) on every listener.
 *   <li>{@link HttpsRedirect} ({@code ssl-redirect}): {@code 308} to the same URL over {@code
 *       https} on plain-HTTP listeners only; on TLS listeners the route routes normally (Istio
 *       ignores a pure https redirect on 443). The host is the request's without its port (the
 *       listeners strip it), and the port is the first TLS listener's when that is not 443. 308
 *       keeps the method and body.
 *   <li>{@link AppRoot} (domain scope): an extra first route of the host, exact {@code /},
 *       answering {@code 302} to the app root on every listener.
 * </ul>
 */
final class Redirect implements XdsFeature {

  @Override
  public void patchRoute(Route.Builder route, io.gangway.model.Route source, RouteTable table) {
    source
        .policies()
        .get(UrlRedirect.class)
        .ifPresentOrElse(
            u -> route.setRedirect(url(u)),
            () -> {
              if (source.policies().has(HttpsRedirect.class) && !table.listener().tls()) {
                RedirectAction.Builder redirect =
                    RedirectAction.newBuilder()
                        .setHttpsRedirect(true)
                        .setResponseCode(RedirectAction.RedirectResponseCode.PERMANENT_REDIRECT);
                if (table.httpsPort() != 443) {
                  redirect.setPortRedirect(table.httpsPort());
                }
                route.setRedirect(redirect);
              }
            });
  }

  @Override
  public void patchVirtualHost(
      VirtualHost.Builder vhost, io.gangway.model.VirtualHost source, RouteTable table) {
    source
        .policies()
        .get(AppRoot.class)
        .ifPresent(
            root -> {
              List<Route> routes = new ArrayList<>(vhost.getRoutesList());
              vhost.clearRoutes();
              vhost.addRoutes(
                  Route.newBuilder()
                      .setName(source.host() + "/app-root")
                      .setMatch(RouteMatch.newBuilder().setPath("/"))
                      .setRedirect(
                          RedirectAction.newBuilder()
                              .setPathRedirect(root.path())
                              .setResponseCode(RedirectAction.RedirectResponseCode.FOUND)));
              vhost.addAllRoutes(routes);
            });
  }

  private static RedirectAction url(UrlRedirect u) {
    RedirectAction.Builder b =
        RedirectAction.newBuilder()
            .setSchemeRedirect(u.scheme())
            .setHostRedirect(u.host())
            .setResponseCode(
                switch (u.code()) {
                  case 302 -> RedirectAction.RedirectResponseCode.FOUND;
                  case 303 -> RedirectAction.RedirectResponseCode.SEE_OTHER;
                  case 307 -> RedirectAction.RedirectResponseCode.TEMPORARY_REDIRECT;
                  case 308 -> RedirectAction.RedirectResponseCode.PERMANENT_REDIRECT;
                  default -> RedirectAction.RedirectResponseCode.MOVED_PERMANENTLY;
                });
    if (u.port() > 0) {
      b.setPortRedirect(u.port());
    }
    if (!u.path().isEmpty()) {
      b.setPathRedirect(u.path());
    }
    return b.build();
  }
}
