package io.gangway.xds.feature;

import io.gangway.xds.XdsFeature;
import java.util.List;

/** {@code Features} lists the built-in xDS features in the order they are applied. */
public final class Features {

  private Features() {}

  /** Returns the default feature set. */
  public static List<XdsFeature> defaults() {
    return List.of(new EdgeDefaults(), new WebSocketUpgrade(), new AccessLog(), new UpstreamProtocolOptions(),
        new SslRedirect());
  }
}
