package io.gangway.xds.feature;

import io.gangway.xds.XdsFeature;
import java.util.List;

/**
 * {@code Features} lists the built-in xDS features in the order they are applied. A policy family
 * adds its feature here; the order of HTTP filters is not this list's but {@link
 * io.gangway.xds.FilterOrder}'s.
 */
public final class Features {

  private Features() {}

  /** Returns the default feature set, with the default upstream resilience settings. */
  public static List<XdsFeature> defaults() {
    return defaults(io.gangway.xds.UpstreamDefaults.defaults());
  }

  /**
   * Returns the default feature set with {@code upstream} as the retry and outlier-detection
   * defaults.
   */
  public static List<XdsFeature> defaults(io.gangway.xds.UpstreamDefaults upstream) {
    return List.of(
        new EdgeDefaults(),
        new WebSocketUpgrade(),
        new AccessLog(),
        new UpstreamProtocolOptions(),
        new UpstreamTlsSettings(),
        new DownstreamTlsSettings(),
        new RouteTimeout(),
        new Cors(),
        new HeaderControl(),
        new Rewrite(),
        new Redirect(),
        new MatchCase(),
        new LoadBalancing(),
        new UpstreamResilience(upstream),
        new ActiveHealthChecks(upstream),
        new TimeoutsAndRetries(upstream),
        new IdempotentResetRetry(upstream),
        new LocalRateLimiting(),
        new ClientAddressHeaders(),
        new IpAccessControlFilter(),
        new FallbackCluster(),
        new FallbackOnError(),
        new RequestMirror());
  }
}
