package io.gangway.registry.eureka;

import com.fasterxml.jackson.databind.JsonNode;
import io.gangway.spi.registry.Endpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * {@code EurekaApps} reads the JSON of {@code GET /eureka/apps}: {@code {"applications":
 * {"application": [{"name", "instance": [...]}]}}}. Like Eureka's own codec it accepts a single
 * object where a list is expected. Per instance: status {@code UP} only; address {@code ipAddr};
 * port {@code port.$} when {@code port.@enabled} is true, else {@code securePort.$}; metadata =
 * {@code metadata} without Eureka's {@code @class} marker. Stateless.
 */
final class EurekaApps {

  private EurekaApps() {}

  /**
   * Returns application name → endpoints of its UP instances (possibly none), in name order. Throws
   * {@link IllegalArgumentException} when the document is not a Eureka applications document.
   */
  static Map<String, List<Endpoint>> parse(JsonNode root) {
    JsonNode applications = root.get("applications");
    if (applications == null || !applications.isObject()) {
      throw new IllegalArgumentException("no \"applications\" object in the answer");
    }
    Map<String, List<Endpoint>> out = new TreeMap<>();
    for (JsonNode app : list(applications.get("application"))) {
      String name = app.path("name").asText("");
      if (name.isEmpty()) {
        continue;
      }
      List<Endpoint> endpoints = out.computeIfAbsent(name, k -> new ArrayList<>());
      for (JsonNode instance : list(app.get("instance"))) {
        Endpoint e = endpoint(instance);
        if (e != null) {
          endpoints.add(e);
        }
      }
    }
    return out;
  }

  private static @Nullable Endpoint endpoint(JsonNode instance) {
    if (!instance.path("status").asText("").equalsIgnoreCase("UP")) {
      return null;
    }
    String ip = instance.path("ipAddr").asText("").trim();
    JsonNode port = instance.path("port");
    int number = enabled(port) ? number(port) : number(instance.path("securePort"));
    if (ip.isEmpty() || number < 1 || number > 65535) {
      return null;
    }
    return new Endpoint(ip, number, 1, metadata(instance.get("metadata")));
  }

  /** {@code "@enabled"} is written as the string "true"/"false"; accept a JSON boolean too. */
  private static boolean enabled(JsonNode port) {
    JsonNode e = port.get("@enabled");
    return e != null
        && (e.isBoolean() ? e.booleanValue() : e.asText().trim().equalsIgnoreCase("true"));
  }

  private static int number(JsonNode port) {
    JsonNode n = port.get("$");
    if (n == null) {
      return -1;
    }
    if (n.isNumber()) {
      return n.intValue();
    }
    try {
      return Integer.parseInt(n.asText().trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Map<String, String> metadata(@Nullable JsonNode meta) {
    Map<String, String> out = new HashMap<>();
    if (meta != null && meta.isObject()) {
      meta.fields()
          .forEachRemaining(
              f -> {
                if (!f.getKey().equals("@class")
                    && f.getValue().isValueNode()
                    && !f.getValue().isNull()) {
                  out.put(f.getKey(), f.getValue().asText());
                }
              });
    }
    return out;
  }

  private static List<JsonNode> list(@Nullable JsonNode node) {
    List<JsonNode> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (node.isArray()) {
      node.forEach(out::add);
    } else if (node.isObject()) {
      out.add(node);
    }
    return out;
  }
}
