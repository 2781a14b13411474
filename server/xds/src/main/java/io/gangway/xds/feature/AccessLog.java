package io.gangway.xds.feature;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.SubstitutionFormatString;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.gangway.xds.ListenerSettings;
import io.gangway.xds.XdsFeature;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code AccessLog} writes one line per request to the configured file: by default one JSON object
 * with the fields documented in {@code docs/operations.md} (route name included, so a line names
 * the Ingress that served it), or Envoy's default text line ({@code text}), or a custom Envoy
 * format string. Envoy reopens the file on {@code SIGUSR1} or admin {@code POST /reopen_logs}, for
 * logrotate. The format is a listener setting, so route edits never change it.
 */
final class AccessLog implements XdsFeature {

  /** The JSON fields, in documentation order: field name to Envoy command operator. */
  static final Map<String, String> JSON_FIELDS = jsonFields();

  private static Map<String, String> jsonFields() {
    Map<String, String> f = new LinkedHashMap<>();
    f.put("time", "%START_TIME%");
    f.put("host", "%REQ(:AUTHORITY)%");
    f.put("method", "%REQ(:METHOD)%");
    f.put("path", "%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%");
    f.put("protocol", "%PROTOCOL%");
    f.put("status", "%RESPONSE_CODE%");
    f.put("response_flags", "%RESPONSE_FLAGS%");
    f.put("duration_ms", "%DURATION%");
    f.put("upstream_cluster", "%UPSTREAM_CLUSTER%");
    f.put("upstream_host", "%UPSTREAM_HOST%");
    f.put("route_name", "%ROUTE_NAME%");
    f.put("request_id", "%REQ(X-REQUEST-ID)%");
    f.put("bytes_received", "%BYTES_RECEIVED%");
    f.put("bytes_sent", "%BYTES_SENT%");
    f.put("user_agent", "%REQ(USER-AGENT)%");
    f.put("downstream_address", "%DOWNSTREAM_REMOTE_ADDRESS%");
    return java.util.Collections.unmodifiableMap(f);
  }

  @Override
  public void patchHttpConnectionManager(HttpConnectionManager.Builder hcm, ListenerSettings s) {
    if (s.accessLogPath() == null) {
      return;
    }
    FileAccessLog.Builder file = FileAccessLog.newBuilder().setPath(s.accessLogPath());
    switch (s.accessLogFormat()) {
      case "text" -> {} // Envoy's default line
      case "json" -> {
        Struct.Builder json = Struct.newBuilder();
        JSON_FIELDS.forEach(
            (k, v) -> json.putFields(k, Value.newBuilder().setStringValue(v).build()));
        file.setLogFormat(SubstitutionFormatString.newBuilder().setJsonFormat(json));
      }
      default ->
          file.setLogFormat(
              SubstitutionFormatString.newBuilder()
                  .setTextFormatSource(
                      DataSource.newBuilder().setInlineString(s.accessLogFormat() + "\n")));
    }
    hcm.addAccessLog(
        io.envoyproxy.envoy.config.accesslog.v3.AccessLog.newBuilder()
            .setName("envoy.access_loggers.file")
            .setTypedConfig(Any.pack(file.build())));
  }
}
