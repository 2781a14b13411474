package io.gangway.ingress.resource;

import io.gangway.ingress.yaml.Diagnostics;
import io.gangway.ingress.yaml.YNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@code KnownFields} warns about fields an object's schema does not have, as {@code kubectl}'s
 * field validation does: a typo such as {@code pathtype: Exact} or {@code anotations:} would
 * otherwise be ignored silently and change what a route matches. Each unknown field is a warning at
 * the key ({@code unknown field spec.rules[0].http.paths[0].pathtype (did you mean pathType?)}),
 * never an error: a document is not rejected for a field Gangway does not read. Free-form maps
 * (labels, annotations, Secret data, status) are not looked into. Stateless and thread-safe.
 *
 * <p>The schemas are those of {@code networking.k8s.io/v1} Ingress, {@code v1} Secret and Higress's
 * {@code networking.higress.io/v1} McpBridge, plus the Gangway extensions of a McpBridge registry
 * entry; a new registry field must be added to {@link #REGISTRY_FIELDS}.
 */
final class KnownFields {

  /**
   * The fields of a McpBridge {@code spec.registries[]} entry: Higress's {@code RegistryConfig},
   * then Gangway's extensions ({@code keepStaleWhenEmpty} onwards; {@code
   * testRefreshIntervalMillis} is the adapters' test knob).
   */
  static final Set<String> REGISTRY_FIELDS =
      Set.of(
          "type",
          "name",
          "domain",
          "port",
          "protocol",
          "sni",
          "zkServicesPath",
          "nacosAddressServer",
          "nacosAccessKey",
          "nacosSecretKey",
          "nacosNamespaceId",
          "nacosNamespace",
          "nacosGroups",
          "nacosRefreshInterval",
          "consulNamespace",
          "consulDatacenter",
          "consulServiceTag",
          "consulRefreshInterval",
          "authSecretName",
          "mcpServerExportDomains",
          "mcpServerBaseUrl",
          "enableMCPServer",
          "enableScopeMcpServers",
          "allowMcpServers",
          "metadata",
          "proxyName",
          "vport",
          "keepStaleWhenEmpty",
          "nacosUsername",
          "nacosPassword",
          "nacosPollInterval",
          "consulToken",
          "dnsServer",
          "testRefreshIntervalMillis",
          "restartGraceSeconds",
          "restartGraceMillis");

  /** A schema node: an object with known fields, a list of one shape, or anything. */
  record Shape(@Nullable Map<String, Shape> fields, @Nullable Shape item) {}

  private static final Shape ANY = new Shape(null, null);

  private static Shape object(Object... nameShapePairs) {
    Map<String, Shape> fields = new java.util.HashMap<>();
    for (int i = 0; i < nameShapePairs.length; i += 2) {
      fields.put((String) nameShapePairs[i], (Shape) nameShapePairs[i + 1]);
    }
    return new Shape(Map.copyOf(fields), null);
  }

  private static Shape listOf(Shape item) {
    return new Shape(null, item);
  }

  private static final Shape OBJECT_META =
      object(
          "name",
          ANY,
          "generateName",
          ANY,
          "namespace",
          ANY,
          "selfLink",
          ANY,
          "uid",
          ANY,
          "resourceVersion",
          ANY,
          "generation",
          ANY,
          "creationTimestamp",
          ANY,
          "deletionTimestamp",
          ANY,
          "deletionGracePeriodSeconds",
          ANY,
          "labels",
          ANY,
          "annotations",
          ANY,
          "ownerReferences",
          ANY,
          "finalizers",
          ANY,
          "managedFields",
          ANY);

  private static final Shape BACKEND =
      object(
          "service", object("name", ANY, "port", object("name", ANY, "number", ANY)),
          "resource", object("apiGroup", ANY, "kind", ANY, "name", ANY));

  static final Shape INGRESS =
      object(
          "apiVersion",
          ANY,
          "kind",
          ANY,
          "metadata",
          OBJECT_META,
          "status",
          ANY,
          "spec",
          object(
              "ingressClassName",
              ANY,
              "defaultBackend",
              BACKEND,
              "tls",
              listOf(object("hosts", ANY, "secretName", ANY)),
              "rules",
              listOf(
                  object(
                      "host",
                      ANY,
                      "http",
                      object(
                          "paths",
                          listOf(object("path", ANY, "pathType", ANY, "backend", BACKEND)))))));

  static final Shape MCP_BRIDGE =
      object(
          "apiVersion",
          ANY,
          "kind",
          ANY,
          "metadata",
          OBJECT_META,
          "status",
          ANY,
          "spec",
          object(
              "registries",
              listOf(
                  object(
                      REGISTRY_FIELDS.stream()
                          .flatMap(f -> java.util.stream.Stream.of(f, ANY))
                          .toArray())),
              "proxies",
              ANY));

  static final Shape SECRET =
      object(
          "apiVersion",
          ANY,
          "kind",
          ANY,
          "metadata",
          OBJECT_META,
          "type",
          ANY,
          "data",
          ANY,
          "stringData",
          ANY,
          "immutable",
          ANY);

  private KnownFields() {}

  /** Warns about every field of {@code root} (and below) that {@code shape} does not know. */
  static void check(YNode root, Shape shape, Diagnostics d) {
    check(root, shape, "", d);
  }

  private static void check(YNode n, Shape shape, String at, Diagnostics d) {
    Shape item = shape.item();
    if (item != null) {
      if (n.isList()) {
        List<YNode> items = n.items(d);
        for (int i = 0; i < items.size(); i++) {
          check(items.get(i), item, at + "[" + i + "]", d);
        }
      }
      return;
    }
    Map<String, Shape> fields = shape.fields();
    if (fields == null || !n.isMap()) {
      return;
    }
    for (YNode.Field f : n.fields()) {
      String path = at.isEmpty() ? f.name() : at + "." + f.name();
      Shape known = fields.get(f.name());
      if (known == null) {
        String guess = suggestion(f.name(), fields.keySet());
        d.warn(
            f.key(),
            "unknown field "
                + YNode.abbreviate(path)
                + (guess == null ? "" : " (did you mean " + guess + "?)")
                + "; it is ignored");
      } else {
        check(f.value(), known, path, d);
      }
    }
  }

  /**
   * Returns the known name {@code name} most likely misspells: the same letters in another case,
   * else the nearest within two edits (a swap of neighbours is one), else one that starts with all
   * of {@code name} but its last letter ({@code secret} for {@code secretName}, {@code registry}
   * for {@code registries}); {@code null} when nothing is close.
   */
  static @Nullable String suggestion(String name, Set<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    String prefixed = null;
    String stem =
        name.substring(0, Math.max(0, name.length() - 1)).toLowerCase(java.util.Locale.ROOT);
    for (String k : known.stream().sorted().toList()) {
      if (k.equalsIgnoreCase(name)) {
        return k;
      }
      int dist = distance(name, k);
      if (dist < bestDistance) {
        best = k;
        bestDistance = dist;
      }
      if (prefixed == null
          && stem.length() >= 5
          && k.toLowerCase(java.util.Locale.ROOT).startsWith(stem)) {
        prefixed = k;
      }
    }
    return bestDistance <= 2 && bestDistance * 2 < name.length() ? best : prefixed;
  }

  /**
   * Edit distance with adjacent swaps (optimal string alignment), ignoring case; long inputs are
   * "far".
   */
  private static int distance(String a, String b) {
    if (a.length() > 80 || b.length() > 80) {
      return Integer.MAX_VALUE;
    }
    String x = a.toLowerCase(java.util.Locale.ROOT);
    String y = b.toLowerCase(java.util.Locale.ROOT);
    int[][] d = new int[x.length() + 1][y.length() + 1];
    for (int i = 0; i <= x.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= y.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= x.length(); i++) {
      for (int j = 1; j <= y.length(); j++) {
        int cost = x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && x.charAt(i - 1) == y.charAt(j - 2)
            && x.charAt(i - 2) == y.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[x.length()][y.length()];
  }
}
