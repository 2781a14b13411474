package io.gangway.xds.feature;

import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.gangway.model.policy.HttpsRedirect;
import io.gangway.xds.RouteTable;
import io.gangway.xds.XdsFeature;

/**
 * {@code SslRedirect} answers a route with the {@link HttpsRedirect} policy with {@code 308 Permanent Redirect}
 * to the same URL over {@code https} on plain-HTTP listeners, as Higress does for the
 * {@code ssl-redirect}/{@code force-ssl-redirect} annotations; on TLS listeners the route routes
 * normally. The host is the request's without its port (the listeners strip it), and the port is the
 * first TLS listener's when that is not 443. 308 keeps the method and body, unlike 301.
 */
final class SslRedirect implements XdsFeature {

  @Override
  public void patchRoute(Route.Builder route, io.gangway.model.Route source, RouteTable table) {
    if (!source.policies().has(HttpsRedirect.class) || table.listener().tls()) {
      return;
    }
    RedirectAction.Builder redirect = RedirectAction.newBuilder()
        .setHttpsRedirect(true)
        .setResponseCode(RedirectAction.RedirectResponseCode.PERMANENT_REDIRECT);
    if (table.httpsPort() != 443) {
      redirect.setPortRedirect(table.httpsPort());
    }
    route.setRedirect(redirect);
  }
}
