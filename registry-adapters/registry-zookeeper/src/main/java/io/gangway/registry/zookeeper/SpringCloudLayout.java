package io.gangway.registry.zookeeper;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gangway.spi.registry.Endpoint;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.utils.ZKPaths;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code SpringCloudLayout} reads {@code <root>/<service>/<instance id>} whose data is a Curator
 * service-discovery instance, {@code {"name","address","port","payload":{"metadata":{...}}}}. The
 * host is {@code <service>.<root without the leading / and with / as ->.zookeeper} ({@code
 * /services} gives {@code svc.services.zookeeper}; root {@code /} gives {@code svc.zookeeper}), as
 * Higress names it. Instances without a usable address or port are skipped.
 */
final class SpringCloudLayout implements Layout {

  private static final Logger log = LoggerFactory.getLogger(SpringCloudLayout.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String root;
  private final String suffix;

  SpringCloudLayout(String root) {
    this.root = root;
    String dashed = root.substring(1).replace('/', '-');
    this.suffix = (dashed.isEmpty() ? "" : "." + dashed) + ".zookeeper";
  }

  @Override
  public String root() {
    return root;
  }

  /** Returns the host of {@code service} under this root. */
  String host(String service) {
    return service + suffix;
  }

  @Override
  public @Nullable String serviceOf(String path) {
    String[] segments = Layout.below(root, path);
    if (segments == null
        || segments.length > 2
        || SKIPPED.contains(segments[0])
        || (root.equals("/") && segments[0].equals("zookeeper"))) {
      return null;
    }
    return ZKPaths.makePath(root, segments[0]);
  }

  @Override
  public Map<String, List<Endpoint>> endpoints(
      String servicePath, Stream<ChildData> childrenOfService) {
    String prefix = servicePath + "/";
    List<Endpoint> endpoints = new ArrayList<>();
    childrenOfService
        .filter(
            c -> c.getPath().startsWith(prefix) && c.getPath().indexOf('/', prefix.length()) < 0)
        .map(c -> parse(c.getPath(), c.getData()))
        .flatMap(Optional::stream)
        .forEach(endpoints::add);
    return Map.of(host(ZKPaths.getNodeFromPath(servicePath)), endpoints);
  }

  /** Parses one instance node's data; empty (and logged) when it is not a usable instance. */
  static Optional<Endpoint> parse(String path, byte @Nullable [] data) {
    try {
      JsonNode node = JSON.readTree(data == null ? new byte[0] : data);
      if (node == null || !node.isObject()) {
        throw new IOException("not a JSON object");
      }
      String address = node.path("address").asText("");
      int port = node.path("port").asInt(0);
      if (address.isEmpty() || port < 1 || port > 65535) {
        throw new IOException("address/port missing: " + address + ":" + port);
      }
      Map<String, String> metadata = new TreeMap<>();
      node.path("payload")
          .path("metadata")
          .fields()
          .forEachRemaining(
              f ->
                  metadata.put(
                      f.getKey(),
                      f.getValue().isValueNode()
                          ? f.getValue().asText()
                          : f.getValue().toString()));
      return Optional.of(new Endpoint(address, port, 1, metadata));
    } catch (IOException | IllegalArgumentException e) {
      log.debug("zookeeper: skipping instance {}: {}", path, e.getMessage());
      return Optional.empty();
    }
  }
}
