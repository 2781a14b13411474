package io.gangway.ingress.resource;

import io.gangway.ingress.yaml.Diagnostics;
import io.gangway.ingress.yaml.YNode;
import io.gangway.ingress.yaml.YamlLoader;
import io.gangway.model.Severity;
import io.gangway.spi.route.RouteDocument;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code ResourceParser} turns one route document into typed objects: Ingresses, McpBridges and
 * Secrets, each kind by its own {@link KindParser}. Every object is validated as the Kubernetes API
 * server would (so a file that Gangway accepts would also be accepted by a cluster), Secrets also
 * as Envoy will load them, and every problem becomes a located diagnostic. Unknown kinds are
 * ignored with a warning, so one file can hold objects meant for other tools; unknown fields of
 * known kinds are warnings too ({@link KnownFields}), so a misspelt field never changes a route
 * silently. Stateless and thread-safe.
 */
public final class ResourceParser {

  /** The registry types Higress defines ({@code registry/watcher.go}). */
  public static final Set<String> REGISTRY_TYPES = McpBridgeParser.REGISTRY_TYPES;

  private static final Map<String, KindParser> PARSERS =
      List.of(new IngressParser(), new McpBridgeParser(), new SecretParser()).stream()
          .collect(Collectors.toUnmodifiableMap(KindParser::kind, Function.identity()));

  /** Parses and validates {@code document}. Never throws. */
  public ParsedDocument parse(RouteDocument document) {
    Diagnostics d = new Diagnostics(document.source());
    ParsedObjects out = new ParsedObjects();
    int bad = document.content().indexOf('\uFFFD');
    if (bad >= 0) {
      String before = document.content().substring(0, bad);
      int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
      d.add(
          Severity.ERROR,
          line,
          bad - before.lastIndexOf('\n'),
          "",
          "the document is not valid UTF-8");
      return new ParsedDocument(document, List.of(), List.of(), List.of(), d.all());
    }
    for (YNode root : YamlLoader.documents(document.content(), d)) {
      if (root.isMissing()) {
        continue;
      }
      if (!root.isMap()) {
        d.error(
            root,
            "expected a Kubernetes object (a mapping with apiVersion and kind), found "
                + root.kind());
        continue;
      }
      String kind = root.get("kind").text(d);
      String apiVersion = root.get("apiVersion").text(d);
      if (kind == null || apiVersion == null) {
        d.error(root, "object has no " + (kind == null ? "kind" : "apiVersion"));
        continue;
      }
      String name = root.get("metadata").get("name").text(d);
      YNode at = root.withPath(kind + "/" + (name == null ? "?" : name));
      KindParser parser = PARSERS.get(kind);
      if (parser == null) {
        d.warn(at.get("kind"), "ignoring unsupported kind '" + YNode.abbreviate(kind) + "'");
      } else if (!apiVersion.equals(parser.apiVersion())) {
        d.error(
            at.get("apiVersion"),
            "unsupported "
                + kind
                + " apiVersion '"
                + YNode.abbreviate(apiVersion)
                + "' (expected: "
                + parser.apiVersion()
                + ")");
      } else {
        parser.parse(at, document, d, out);
      }
    }
    return new ParsedDocument(
        document, out.ingresses, out.bridges, out.secrets, out.credentials, d.all());
  }
}
