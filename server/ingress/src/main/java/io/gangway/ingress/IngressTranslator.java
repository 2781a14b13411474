package io.gangway.ingress;

import io.gangway.ingress.resource.BackendRef;
import io.gangway.ingress.resource.IngressPath;
import io.gangway.ingress.resource.IngressResource;
import io.gangway.ingress.resource.IngressRule;
import io.gangway.ingress.resource.McpBridgeResource;
import io.gangway.ingress.resource.ParsedDocument;
import io.gangway.ingress.resource.ResourceParser;
import io.gangway.ingress.yaml.Diagnostics;
import io.gangway.ingress.yaml.YNode;
import io.gangway.model.ClusterSpec;
import io.gangway.model.Destination;
import io.gangway.model.Diagnostic;
import io.gangway.model.GatewayModel;
import io.gangway.model.PathMatch;
import io.gangway.model.Route;
import io.gangway.model.RouteAction;
import io.gangway.model.VirtualHost;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.route.RouteDocument;
import io.gangway.spi.route.SourceRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * {@code IngressTranslator} merges parsed documents into one {@link GatewayModel}.
 *
 * <p>Translation is best-effort: a route whose backend cannot be resolved becomes a 503 route with a
 * warning (it must not fall through to a broader route), a duplicate loses to the older Ingress with
 * a warning, and nothing here throws. Deterministic: the same documents give an equal model whatever
 * their order. Thread-safe (stateless).
 */
public final class IngressTranslator {

  private static final Comparator<IngressResource> AGE = Comparator
      .comparing((IngressResource i) -> i.created() == null ? Instant.EPOCH : i.created())
      .thenComparing(i -> i.name() + "." + i.namespace());

  private final ResourceParser parser = new ResourceParser();
  private final @Nullable String ingressClass;

  /**
   * Creates a translator.
   *
   * @param ingressClass only Ingresses of this class are used; {@code null} or empty means all
   */
  public IngressTranslator(@Nullable String ingressClass) {
    this.ingressClass = ingressClass == null || ingressClass.isEmpty() ? null : ingressClass;
  }

  /** Parses and validates one document; see {@link ParsedDocument#hasErrors()}. */
  public ParsedDocument parse(RouteDocument document) {
    return parser.parse(document);
  }

  /** Parses all documents and translates them, rejected documents included as-is (for the CLI). */
  public TranslationResult translateDocuments(List<RouteDocument> documents) {
    List<ParsedDocument> parsed = documents.stream().map(this::parse).toList();
    TranslationResult r = translate(parsed.stream().filter(p -> !p.hasErrors()).toList());
    List<Diagnostic> all = new ArrayList<>();
    parsed.stream().filter(ParsedDocument::hasErrors).forEach(p -> all.addAll(p.diagnostics()));
    all.addAll(r.diagnostics());
    return new TranslationResult(r.model(), all);
  }

  /** Translates documents that parsed without errors into the model. */
  public TranslationResult translate(List<ParsedDocument> documents) {
    List<ParsedDocument> docs = new ArrayList<>(documents);
    docs.sort(Comparator.comparing(p -> p.document().source()));
    List<Diagnostic> diagnostics = new ArrayList<>();
    docs.forEach(p -> diagnostics.addAll(p.diagnostics()));
    Map<SourceRef, Diagnostics> extra = new HashMap<>();

    List<RegistryConfig> registries = registries(docs, extra);
    Backends backends = new Backends(registries);
    List<IngressResource> ingresses = new ArrayList<>();
    for (ParsedDocument p : docs) {
      for (IngressResource i : p.ingresses()) {
        if (ingressClass == null || Objects.equals(ingressClass, i.ingressClass())) {
          ingresses.add(i);
        }
      }
    }
    ingresses.sort(AGE);

    Map<String, List<RouteOrder.Candidate>> hosts = new TreeMap<>();
    Map<String, String> owners = new HashMap<>();
    Set<ClusterSpec> clusters = new TreeSet<>(Comparator.comparing(ClusterSpec::name));
    for (int order = 0; order < ingresses.size(); order++) {
      IngressResource ing = ingresses.get(order);
      Diagnostics d = extra.computeIfAbsent(ing.source(), Diagnostics::new);
      addRules(ing, order, backends, d, hosts, owners, clusters);
      if (ing.defaultBackend() != null) {
        addDefaultBackend(ing, order, backends, d, hosts, clusters);
      }
    }
    extra.values().forEach(d -> diagnostics.addAll(d.all()));

    List<VirtualHost> vhosts = new ArrayList<>();
    for (Map.Entry<String, List<RouteOrder.Candidate>> e : hosts.entrySet()) {
      List<RouteOrder.Candidate> cs = new ArrayList<>(e.getValue());
      cs.sort(RouteOrder.ORDER);
      vhosts.add(new VirtualHost(e.getKey(), cs.stream().map(RouteOrder.Candidate::route).toList()));
    }
    // "*" sorts before letters; put the any-host table last where readers expect it.
    vhosts.sort(Comparator.comparing((VirtualHost v) -> v.host().equals("*")).thenComparing(VirtualHost::host));
    return new TranslationResult(new GatewayModel(vhosts, List.copyOf(clusters), registries), diagnostics);
  }

  private List<RegistryConfig> registries(List<ParsedDocument> docs, Map<SourceRef, Diagnostics> extra) {
    McpBridgeResource chosen = null;
    for (ParsedDocument p : docs) {
      for (McpBridgeResource b : p.bridges()) {
        Diagnostics d = extra.computeIfAbsent(p.document().source(), Diagnostics::new);
        if (!b.name().equals("default")) {
          d.warn(b.at(), "McpBridge '" + b.name() + "' ignored: only the McpBridge named 'default' is used");
        } else if (chosen != null) {
          d.warn(b.at(), "a second McpBridge 'default' is ignored; the first one, in "
              + chosen.at().path() + ", is used");
        } else {
          chosen = b;
        }
      }
    }
    return chosen == null ? List.of() : chosen.registries();
  }

  private void addRules(IngressResource ing, int order, Backends backends, Diagnostics d,
      Map<String, List<RouteOrder.Candidate>> hosts, Map<String, String> owners, Set<ClusterSpec> clusters) {
    for (IngressRule rule : ing.rules()) {
      for (IngressPath p : rule.paths()) {
        PathMatch match = p.type() == IngressPath.PathType.EXACT
            ? PathMatch.exact(p.path())
            : PathMatch.prefix(p.path());
        String key = rule.host() + " " + match.kind() + " " + match.value();
        String owner = owners.putIfAbsent(key, ing.id());
        if (owner != null) {
          d.warn(p.at(), "DuplicatedRoute: host " + rule.host() + " " + match.kind().name().toLowerCase()
              + " path " + match.value() + " is already defined by the older Ingress " + owner
              + "; this one is ignored");
          continue;
        }
        String name = ing.id() + "/" + rule.host() + "/" + p.type().name().toLowerCase() + ":" + p.path();
        RouteAction action = action(ing, p.backend(), backends, d, clusters);
        hosts.computeIfAbsent(rule.host(), h -> new ArrayList<>())
            .add(new RouteOrder.Candidate(new Route(name, match, action, ing.source()), false, order));
      }
    }
  }

  /**
   * Applies {@code spec.defaultBackend} as Higress does: on host {@code *} it replaces the catch-all
   * prefix route; every other host of this Ingress without its own {@code /} route gets a catch-all.
   */
  private void addDefaultBackend(IngressResource ing, int order, Backends backends, Diagnostics d,
      Map<String, List<RouteOrder.Candidate>> hosts, Set<ClusterSpec> clusters) {
    RouteAction action = action(ing, Objects.requireNonNull(ing.defaultBackend()), backends, d, clusters);
    Set<String> targets = new TreeSet<>();
    targets.add("*");
    ing.rules().forEach(r -> targets.add(r.host()));
    for (String host : targets) {
      List<RouteOrder.Candidate> routes = hosts.computeIfAbsent(host, h -> new ArrayList<>());
      boolean hasCatchAll = routes.stream().anyMatch(c -> RouteOrder.isCatchAll(c.route().match()));
      if (host.equals("*")) {
        routes.removeIf(c -> RouteOrder.isCatchAll(c.route().match()));
      } else if (hasCatchAll) {
        continue;
      }
      Route r = new Route(ing.id() + "/" + host + "/default", PathMatch.prefix("/"), action, ing.source());
      routes.add(new RouteOrder.Candidate(r, true, order));
    }
  }

  private RouteAction action(IngressResource ing, BackendRef backend, Backends backends, Diagnostics d,
      Set<ClusterSpec> clusters) {
    List<Destinations.Line> lines;
    YNode at = backend.at();
    if (backend instanceof BackendRef.Service s) {
      lines = List.of(new Destinations.Line(100, s.name(), s.port()));
    } else {
      String value = ing.annotations().get(Destinations.ANNOTATION);
      if (value == null) {
        d.warn(at, "backend.resource needs the " + Destinations.ANNOTATION + " annotation on the Ingress;"
            + " the route answers 503");
        return new RouteAction.DirectResponse(503, "gangway: route has no destination\n");
      }
      lines = Destinations.parse(value, ing.at().get("metadata").get("annotations"), d);
      if (lines.isEmpty()) {
        return new RouteAction.DirectResponse(503, "gangway: invalid destination annotation\n");
      }
    }
    int[] weights = Destinations.normalise(lines);
    Map<String, Integer> byCluster = new LinkedHashMap<>();
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      Destinations.Line l = lines.get(i);
      Backends.Result r = backends.resolve(l.host(), l.port());
      if (!r.ok()) {
        errors.add(r.error());
        d.warn(at, "unresolved backend: " + r.error() + "; requests for it answer 503");
        continue;
      }
      ClusterSpec c = ClusterSpec.of(r.target().host(), r.target().port());
      clusters.add(c);
      byCluster.merge(c.name(), weights[i], Integer::sum);
    }
    if (byCluster.isEmpty()) {
      return new RouteAction.DirectResponse(503, "gangway: " + String.join("; ", errors) + "\n");
    }
    int lost = 100 - byCluster.values().stream().mapToInt(Integer::intValue).sum();
    List<Destination> ds = new ArrayList<>();
    byCluster.forEach((c, w) -> ds.add(new Destination(c, w)));
    if (lost > 0) {
      // Keep the shares of the resolvable destinations: the unresolved share is moved to the first one
      // rather than silently failing a fraction of requests.
      Destination first = ds.get(0);
      ds.set(0, new Destination(first.cluster(), first.weight() + lost));
    }
    return new RouteAction.Forward(ds);
  }
}
