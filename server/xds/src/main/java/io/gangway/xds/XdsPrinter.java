package io.gangway.xds;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.access_loggers.file.v3.FileAccessLog;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * {@code XdsPrinter} renders resources as JSON or YAML for golden files, the {@code translate} CLI
 * and the admin endpoint. Output is deterministic for equal input. Private keys are never printed:
 * the key of an SDS {@link Secret} is shown as {@value #REDACTED}.
 */
public final class XdsPrinter {

  private static final JsonFormat.TypeRegistry TYPES =
      JsonFormat.TypeRegistry.newBuilder()
          .add(HttpConnectionManager.getDescriptor())
          .add(Router.getDescriptor())
          .add(FileAccessLog.getDescriptor())
          .add(io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions.getDescriptor())
          .add(
              io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext
                  .getDescriptor())
          .add(
              io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
                  .getDescriptor())
          .add(TlsInspector.getDescriptor())
          .add(
              io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate
                  .getDescriptor())
          .add(io.envoyproxy.envoy.config.route.v3.FilterConfig.getDescriptor())
          .add(
              io.envoyproxy.envoy.extensions.filters.http.local_ratelimit.v3.LocalRateLimit
                  .getDescriptor())
          // Per-route filter configs (PerRouteFilter) and the policy filters.
          .add(io.envoyproxy.envoy.extensions.filters.http.cors.v3.Cors.getDescriptor())
          .add(io.envoyproxy.envoy.extensions.filters.http.cors.v3.CorsPolicy.getDescriptor())
          .add(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.getDescriptor())
          .add(io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBACPerRoute.getDescriptor())
          .add(io.envoyproxy.envoy.extensions.clusters.aggregate.v3.ClusterConfig.getDescriptor())
          .add(
              io.envoyproxy.envoy.extensions.filters.http.custom_response.v3.CustomResponse
                  .getDescriptor())
          .add(
              io.envoyproxy.envoy.extensions.http.custom_response.redirect_policy.v3.RedirectPolicy
                  .getDescriptor())
          .add(io.envoyproxy.envoy.type.matcher.v3.HttpResponseStatusCodeMatchInput.getDescriptor())
          .add(
              io.envoyproxy.envoy.extensions.common.matching.v3.ExtensionWithMatcher
                  .getDescriptor())
          .add(
              io.envoyproxy.envoy.extensions.filters.common.matcher.action.v3.SkipFilter
                  .getDescriptor())
          .add(
              io.envoyproxy.envoy.extensions.filters.http.header_mutation.v3.HeaderMutation
                  .getDescriptor())
          .add(io.envoyproxy.envoy.type.matcher.v3.HttpRequestHeaderMatchInput.getDescriptor())
          .build();
  private static final JsonFormat.Printer JSON = JsonFormat.printer().usingTypeRegistry(TYPES);

  /** What is printed instead of a private key. */
  public static final String REDACTED = "[redacted]";

  private XdsPrinter() {}

  /** Returns {@code message} as indented JSON, private keys redacted. */
  public static String json(Message message) {
    try {
      return JSON.print(redact(message));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "cannot print " + message.getDescriptorForType().getFullName(), e);
    }
  }

  /** Returns {@code message} with every private key replaced by {@value #REDACTED}. */
  public static Message redact(Message message) {
    if (message instanceof Secret s
        && s.hasTlsCertificate()
        && s.getTlsCertificate().hasPrivateKey()) {
      return s.toBuilder()
          .setTlsCertificate(
              s.getTlsCertificate().toBuilder()
                  .setPrivateKey(DataSource.newBuilder().setInlineString(REDACTED)))
          .build();
    }
    return message;
  }

  /** Returns {@code messages} as one YAML list, private keys redacted. */
  public static String yaml(List<? extends Message> messages) {
    return dump(asYamlItems(messages));
  }

  /**
   * Returns one YAML mapping of section name (in iteration order) to the list of its messages,
   * private keys redacted: {@code listeners: [...]}, {@code routes: [...]}, and so on.
   */
  public static String yaml(Map<String, ? extends List<? extends Message>> sections) {
    Map<String, Object> out = new java.util.LinkedHashMap<>();
    sections.forEach((name, messages) -> out.put(name, asYamlItems(messages)));
    return dump(out);
  }

  private static List<Object> asYamlItems(List<? extends Message> messages) {
    List<Object> items = new ArrayList<>();
    Yaml reader = new Yaml(new LoaderOptions());
    for (Message m : messages) {
      items.add(reader.<Map<String, Object>>load(json(m)));
    }
    return items;
  }

  private static String dump(Object items) {
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    o.setIndicatorIndent(2);
    o.setIndentWithIndicator(true);
    o.setWidth(120);
    return new Yaml(o).dump(items);
  }
}
