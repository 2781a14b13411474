package io.gangway.xds.feature;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.gangway.xds.ListenerSettings;
import io.gangway.xds.XdsFeature;

/**
 * {@code AccessLog} writes one line per request to the configured file in Envoy's default format
 * (which includes the route name, so a line names the Ingress that served it). Envoy reopens the
 * file on {@code SIGUSR1}, for logrotate.
 */
final class AccessLog implements XdsFeature {

  @Override
  public void patchHttpConnectionManager(HttpConnectionManager.Builder hcm, ListenerSettings s) {
    if (s.accessLogPath() == null) {
      return;
    }
    io.envoyproxy.envoy.config.accesslog.v3.AccessLog.Builder log =
        io.envoyproxy.envoy.config.accesslog.v3.AccessLog.newBuilder()
            .setName("envoy.access_loggers.file")
            .setTypedConfig(
                Any.pack(FileAccessLog.newBuilder().setPath(s.accessLogPath()).build()));
    hcm.addAccessLog(log);
  }
}
