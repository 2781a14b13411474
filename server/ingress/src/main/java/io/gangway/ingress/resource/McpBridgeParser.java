package io.gangway.ingress.resource;

import io.gangway.ingress.yaml.Diagnostics;
import io.gangway.ingress.yaml.YNode;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.route.RouteDocument;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code McpBridgeParser} parses Higress {@code networking.higress.io/v1} McpBridges: the
 * registries, each with a known type, a DNS-label name unique per type and a valid port. Stateless.
 */
final class McpBridgeParser implements KindParser {

  /** The registry types Higress defines ({@code registry/watcher.go}). */
  static final Set<String> REGISTRY_TYPES =
      Set.of("nacos", "nacos2", "nacos3", "zookeeper", "consul", "eureka", "static", "dns");

  @Override
  public String kind() {
    return "McpBridge";
  }

  @Override
  public String apiVersion() {
    return "networking.higress.io/v1";
  }

  @Override
  public void parse(YNode at, RouteDocument document, Diagnostics d, ParsedObjects out) {
    McpBridgeResource b = parseBridge(at, d);
    KnownFields.check(at, KnownFields.MCP_BRIDGE, d);
    if (b != null) {
      out.bridges.add(b);
    }
  }

  private @Nullable McpBridgeResource parseBridge(YNode root, Diagnostics d) {
    int errorsBefore = d.errorCount();
    YNode meta = root.get("metadata");
    String name = Names.requiredName(meta.get("name"), d);
    String namespace = Names.optionalName(meta.get("namespace"), "higress-system", d);
    List<RegistryConfig> registries = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (YNode r : root.get("spec").get("registries").items(d)) {
      String type = r.get("type").text(d);
      String rname = r.get("name").text(d);
      if (type == null || !REGISTRY_TYPES.contains(type)) {
        d.error(
            r.get("type"),
            "unsupported registry type '"
                + (type == null ? "" : YNode.abbreviate(type))
                + "' (expected: one of "
                + String.join(", ", REGISTRY_TYPES.stream().sorted().toList())
                + ")");
        continue;
      }
      if (rname == null || !Names.NAME.matcher(rname).matches()) {
        d.error(r.get("name"), "registry name is required and must be a lower-case DNS label");
        continue;
      }
      if (!keys.add(type + "/" + rname)) {
        d.error(r.get("name"), "duplicate registry " + type + "/" + rname);
        continue;
      }
      int port = r.get("port").integer(d, 1);
      if (port < 1 || port > 65535) {
        d.error(r.get("port"), "registry port " + port + " out of range (expected: 1-65535)");
        continue;
      }
      Object plain = r.toPlain(d);
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = plain instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
      registries.add(new RegistryConfig(type, rname, spec));
    }
    if (d.errorCount() > errorsBefore || name == null) {
      return null;
    }
    return new McpBridgeResource(namespace, name, registries, root);
  }
}
