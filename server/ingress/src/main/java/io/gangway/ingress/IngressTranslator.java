package io.gangway.ingress;

import io.gangway.ingress.annotation.Families;
import io.gangway.ingress.annotation.IngressPolicies;
import io.gangway.ingress.resource.BackendRef;
import io.gangway.ingress.resource.CredentialSecret;
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
import io.gangway.model.RouteMatch;
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
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * {@code IngressTranslator} merges parsed documents into one {@link GatewayModel}.
 *
 * <p>Translation is best-effort: a route whose backend cannot be resolved becomes a 503 route with
 * a warning (it must not fall through to a broader route), a duplicate loses to the older Ingress
 * with a warning, and nothing here throws. TLS hosts are bound to Secrets by {@link TlsBindings};
 * the annotations become policies through {@link Families} (one class per family, in {@code
 * io.gangway.ingress.annotation}), which this class only attaches by scope. Deterministic: the same
 * documents give an equal model whatever their order. Thread-safe.
 *
 * <p>Each path's route of the last translation is kept, keyed by the parsed path object (a document
 * that did not change keeps its parsed objects), and reused when the new one would be equal: an
 * unchanged route stays the same object, so later stages compare it by identity, and an edit among
 * 100,000 routes allocates only the routes it changed (bench/scale-live.sh).
 */
public final class IngressTranslator {

  /** Ingress precedence: older creationTimestamp first, then {@code name.namespace} order. */
  private record Age(IngressResource ingress, Instant created, String name) {
    static final Comparator<Age> ORDER =
        Comparator.comparing(Age::created).thenComparing(Age::name);

    static Age of(IngressResource i) {
      return new Age(
          i, i.created() == null ? Instant.EPOCH : i.created(), i.name() + "." + i.namespace());
    }
  }

  private final ResourceParser parser = new ResourceParser();
  // The routes of the last translation by parsed path; replaced by each translation (so it holds
  // only what is live). Reuse needs equality, so a stale or concurrent entry is only a missed
  // reuse.
  private volatile java.util.IdentityHashMap<IngressPath, Route> lastRoutes =
      new java.util.IdentityHashMap<>();
  private final @Nullable String ingressClass;

  /**
   * Creates a translator.
   *
   * @param ingressClass only Ingresses of this class are used; {@code null} or empty means all
   */
  public IngressTranslator(@Nullable String ingressClass) {
    this.ingressClass = ingressClass == null || ingressClass.isEmpty() ? null : ingressClass;
  }

  /**
   * Parses and validates one document; see {@link ParsedDocument#hasErrors()}. The {@code
   * higress.io/destination} annotation of an Ingress that uses it is validated here too, so an
   * invalid one rejects the document (its last good version stays live) instead of turning the
   * routes that use it into 503s. The annotation families report their diagnostics here, once.
   */
  public ParsedDocument parse(RouteDocument document) {
    ParsedDocument p = parser.parse(document);
    Diagnostics d = new Diagnostics(document.source());
    for (IngressResource ing : p.ingresses()) {
      String value = ing.annotations().get(Destinations.ANNOTATION);
      if (value != null && usesResourceBackend(ing)) {
        Destinations.parse(value, destinationNode(ing), d);
      }
      Families.parse(ing, d);
    }
    return p.withDiagnostics(d.all());
  }

  /** Parses all documents and translates them, rejected documents included as-is (for the CLI). */
  public TranslationResult translateDocuments(List<RouteDocument> documents) {
    List<ParsedDocument> parsed = documents.stream().map(this::parse).toList();
    TranslationResult r = translate(parsed.stream().filter(p -> !p.hasErrors()).toList());
    List<Diagnostic> all = new ArrayList<>();
    parsed.stream().filter(ParsedDocument::hasErrors).forEach(p -> all.addAll(p.diagnostics()));
    all.addAll(r.diagnostics());
    return new TranslationResult(r.model(), all, r.usesCatalog());
  }

  /** Translates documents that parsed without errors into the model. */
  public TranslationResult translate(List<ParsedDocument> documents) {
    return translate(documents, ServiceCatalog.NONE);
  }

  /**
   * Translates, resolving short backend names against {@code catalog}. {@link
   * TranslationResult#usesCatalog()} says whether the result depends on what registries discover.
   */
  public TranslationResult translate(List<ParsedDocument> documents, ServiceCatalog catalog) {
    List<ParsedDocument> docs = new ArrayList<>(documents);
    docs.sort(Comparator.comparing(p -> p.document().source()));
    List<Diagnostic> diagnostics = new ArrayList<>();
    docs.forEach(p -> diagnostics.addAll(p.diagnostics()));
    Map<SourceRef, Diagnostics> extra = new HashMap<>();

    List<RegistryConfig> registries = registries(docs, extra);
    Backends backends = new Backends(registries, catalog);
    List<IngressResource> ingresses = new ArrayList<>();
    for (ParsedDocument p : docs) {
      for (IngressResource i : p.ingresses()) {
        if (ingressClass == null || Objects.equals(ingressClass, i.ingressClass())) {
          ingresses.add(i);
        }
      }
    }
    // Keys computed once per Ingress, not per comparison (20,000 Ingresses: 300,000 comparisons).
    List<IngressResource> byAge =
        ingresses.stream().map(Age::of).sorted(Age.ORDER).map(Age::ingress).toList();
    ingresses.clear();
    ingresses.addAll(byAge);
    warnDuplicateIds(ingresses, extra);

    Map<String, List<RouteOrder.Candidate>> hosts = new TreeMap<>();
    // Sized for the last translation's routes: 100,000 entries grow through a dozen resizes
    // otherwise.
    Map<RuleKey, IngressResource> owners = new HashMap<>(lastRoutes.size() * 4 / 3 + 16);
    TreeSet<ClusterSpec> clusters = new TreeSet<>(Comparator.comparing(ClusterSpec::name));
    // As Higress: the rules of every Ingress first, then the default backends, so that whether a
    // host
    // has a user catch-all does not depend on the order of the Ingresses.
    // Annotation diagnostics were reported when each document was parsed; parse them again quietly.
    // By identity: each Ingress is one object here, and a record's hash walks all its paths.
    java.util.IdentityHashMap<IngressResource, IngressPolicies> policies =
        new java.util.IdentityHashMap<>();
    // Secrets named by annotations are resolved here, across documents; only that is reported
    // again.
    io.gangway.ingress.annotation.SecretStore secrets =
        io.gangway.ingress.annotation.SecretStore.of(docs);
    // Backends that policies name (fallback, mirror) become clusters too; added after the routes'
    // own
    // clusters, so a cluster a route uses keeps the shape of the Ingress that routes to it.
    List<ClusterSpec> policyClusters = new ArrayList<>();
    ingresses.forEach(
        i ->
            policies.put(
                i,
                PolicyBackends.resolve(
                    i,
                    Families.parse(
                        i,
                        new Diagnostics(i.source()),
                        secrets,
                        extra.computeIfAbsent(i.source(), Diagnostics::new)),
                    backends,
                    extra.computeIfAbsent(i.source(), Diagnostics::new),
                    policyClusters)));
    // Canary Ingresses are not placed on their own: they are merged into the main routes below.
    CanaryMerge canaries =
        new CanaryMerge(
            ingresses,
            policies,
            (ing, backend, d) -> action(ing, policies.get(ing), backend, backends, d, clusters),
            extra);
    java.util.IdentityHashMap<IngressPath, Route> previous = lastRoutes;
    java.util.IdentityHashMap<IngressPath, Route> built =
        new java.util.IdentityHashMap<>(previous.size() + 16);
    for (int order = 0; order < ingresses.size(); order++) {
      IngressResource ing = ingresses.get(order);
      if (canaries.isCanary(ing)) {
        continue;
      }
      Diagnostics d = extra.computeIfAbsent(ing.source(), Diagnostics::new);
      addRules(
          ing, order, policies.get(ing), backends, d, hosts, owners, clusters, previous, built);
    }
    lastRoutes = built;
    Map<String, IngressResource> defaultOwners = new HashMap<>();
    for (int order = 0; order < ingresses.size(); order++) {
      IngressResource ing = ingresses.get(order);
      if (ing.defaultBackend() != null && !canaries.isCanary(ing)) {
        addDefaultBackend(
            ing, order, policies.get(ing), backends, extra, hosts, defaultOwners, clusters);
      }
    }
    clusters.addAll(policyClusters);
    Map<String, io.gangway.model.policy.Policies> hostPolicies = new HashMap<>();
    Map<String, IngressResource> hostPolicyOwners = new HashMap<>();
    Set<String> warnedHostPolicies = new java.util.HashSet<>();
    for (IngressResource ing : ingresses) {
      // Domain scope: the oldest Ingress naming a host sets each of its policy types; a newer one
      // that
      // sets another value of a type is told it is ignored.
      for (IngressRule rule : ing.rules()) {
        io.gangway.model.policy.Policies own = policies.get(ing).host();
        for (io.gangway.model.policy.Policy p : own.all()) {
          IngressResource owner =
              hostPolicyOwners.putIfAbsent(rule.host() + " " + p.getClass().getName(), ing);
          io.gangway.model.policy.Policy older =
              owner == null || owner.equals(ing)
                  ? null
                  : hostPolicies.get(rule.host()).get(p.getClass()).orElse(null);
          if (older != null
              && !older.equals(p)
              && warnedHostPolicies.add(ing.id() + " " + rule.host() + " " + p)) {
            extra
                .computeIfAbsent(ing.source(), Diagnostics::new)
                .warn(
                    ing.at(),
                    "host "
                        + rule.host()
                        + ": "
                        + p
                        + " is ignored; the older Ingress "
                        + owner.id()
                        + " in "
                        + owner.source()
                        + " sets "
                        + older
                        + " (domain scope: the oldest Ingress wins)");
          }
        }
        hostPolicies.merge(rule.host(), own, (older, newer) -> newer.withAll(older));
      }
    }
    TlsBindings.Result tls = TlsBindings.bind(ingresses, docs, extra);

    List<VirtualHost> vhosts = new ArrayList<>();
    for (Map.Entry<String, List<RouteOrder.Candidate>> e : hosts.entrySet()) {
      if (e.getValue().isEmpty()) {
        continue;
      }
      List<RouteOrder.Candidate> cs = new ArrayList<>(e.getValue());
      cs.sort(RouteOrder.ORDER);
      vhosts.add(
          new VirtualHost(
              e.getKey(),
              canaries.merge(e.getKey(), cs),
              hostPolicies.getOrDefault(e.getKey(), io.gangway.model.policy.Policies.none())));
    }
    canaries.reportUnattached();
    extra.values().forEach(d -> diagnostics.addAll(d.all()));
    // "*" sorts before letters; put the any-host table last where readers expect it.
    vhosts.sort(
        Comparator.comparing((VirtualHost v) -> v.host().equals("*"))
            .thenComparing(VirtualHost::host));
    vhosts = WildcardFallback.apply(vhosts);
    return new TranslationResult(
        new GatewayModel(
            vhosts, List.copyOf(clusters), registries, tls.certificates(), tls.bindings()),
        diagnostics,
        backends.usedCatalog());
  }

  private List<RegistryConfig> registries(
      List<ParsedDocument> docs, Map<SourceRef, Diagnostics> extra) {
    McpBridgeResource chosen = null;
    SourceRef chosenSource = null;
    for (ParsedDocument p : docs) {
      for (McpBridgeResource b : p.bridges()) {
        Diagnostics d = extra.computeIfAbsent(p.document().source(), Diagnostics::new);
        if (!b.name().equals("default")) {
          d.warn(
              b.at(),
              "McpBridge '" + b.name() + "' ignored: only the McpBridge named 'default' is used");
        } else if (chosen != null) {
          d.warn(
              b.at(),
              "a second McpBridge 'default' is ignored; the first one, in "
                  + chosenSource
                  + ":"
                  + chosen.at().line()
                  + ", is used");
        } else {
          chosen = b;
          chosenSource = p.document().source();
        }
      }
    }
    if (chosen == null) {
      return List.of();
    }
    Diagnostics d =
        extra.computeIfAbsent(java.util.Objects.requireNonNull(chosenSource), Diagnostics::new);
    return withCredentials(chosen, docs, d);
  }

  /**
   * Resolves each registry's {@code authSecretName} as Higress does: a Secret of that name in the
   * McpBridge's namespace, keys {@code nacosUsername}, {@code nacosPassword}, {@code consulToken}.
   * Values are added to the registry's settings (inline fields win); they are never logged.
   */
  private static List<RegistryConfig> withCredentials(
      McpBridgeResource bridge, List<ParsedDocument> docs, Diagnostics d) {
    List<RegistryConfig> out = new ArrayList<>();
    for (RegistryConfig r : bridge.registries()) {
      String secretName = r.string("authSecretName", "");
      if (secretName == null || secretName.isEmpty()) {
        out.add(r);
        continue;
      }
      java.util.Optional<CredentialSecret> secret =
          docs.stream()
              .flatMap(p -> p.credentials().stream())
              .filter(c -> c.name().equals(secretName) && c.namespace().equals(bridge.namespace()))
              .findFirst();
      if (secret.isEmpty()) {
        d.warn(
            bridge.at(),
            "registry "
                + r.key()
                + ": authSecretName '"
                + secretName
                + "' names no Secret in"
                + " namespace "
                + bridge.namespace()
                + "; it connects without credentials");
        out.add(r);
        continue;
      }
      Map<String, Object> spec = new LinkedHashMap<>(r.spec());
      for (String key : List.of("nacosUsername", "nacosPassword", "consulToken")) {
        String value = secret.get().values().get(key);
        if (value != null && !spec.containsKey(key)) {
          spec.put(key, value);
        }
      }
      out.add(new RegistryConfig(r.type(), r.name(), spec));
    }
    return out;
  }

  /** Higress's rule key: host, path and the match annotations (headers, query, methods). */
  private record RuleKey(String host, RouteMatch match) {}

  private void addRules(
      IngressResource ing,
      int order,
      IngressPolicies policies,
      Backends backends,
      Diagnostics d,
      Map<String, List<RouteOrder.Candidate>> hosts,
      Map<RuleKey, IngressResource> owners,
      java.util.NavigableSet<ClusterSpec> clusters,
      java.util.IdentityHashMap<IngressPath, Route> previous,
      java.util.IdentityHashMap<IngressPath, Route> built) {
    for (IngressRule rule : ing.rules()) {
      for (IngressPath p : rule.paths()) {
        Route last = previous.get(p);
        PathMatch.Kind kind =
            p.type() == IngressPath.PathType.EXACT ? PathMatch.Kind.EXACT : PathMatch.Kind.PREFIX;
        RouteMatch match;
        if (policies.match() == UnaryOperator.<RouteMatch>identity()
            && last != null
            && last.match().pathOnly()
            && !last.match().ignoreCase()
            && last.match().path().kind() == kind
            && last.match().path().value().equals(p.path())) {
          match = last.match(); // no match annotation: the path alone, as built last time
        } else {
          match =
              policies
                  .match()
                  .apply(
                      RouteMatch.of(
                          kind == PathMatch.Kind.EXACT
                              ? PathMatch.exact(p.path())
                              : PathMatch.prefix(p.path())));
        }
        // Higress's rule key: host, path and the match annotations (headers, query, methods).
        IngressResource owner = owners.putIfAbsent(new RuleKey(rule.host(), match), ing);
        if (owner != null) {
          String by =
              owner.equals(ing)
                  ? "earlier in this Ingress"
                  : "by Ingress "
                      + owner.id()
                      + " in "
                      + owner.source()
                      + ", which takes precedence (older creationTimestamp, then name order)";
          d.warn(
              p.at(),
              "DuplicatedRoute: host "
                  + rule.host()
                  + " "
                  + describe(match)
                  + " is already defined "
                  + by
                  + "; this one is ignored");
          continue;
        }
        RouteAction action = action(ing, policies, p.backend(), backends, d, clusters);
        @SuppressWarnings("ReferenceEquality") // the match reused above: equal without a compare
        boolean sameMatch = last != null && (last.match() == match || last.match().equals(match));
        Route route;
        if (last != null
            && sameMatch
            && last.action().equals(action)
            && last.source().equals(ing.source())
            && last.policies().equals(policies.route())) {
          route = last; // name and line come from the same parsed path
        } else {
          String name =
              ing.id()
                  + "/"
                  + rule.host()
                  + "/"
                  + p.type().name().toLowerCase(java.util.Locale.ROOT)
                  + ":"
                  + p.path();
          route = new Route(name, match, action, ing.source(), policies.route(), p.at().line());
        }
        built.put(p, route);
        hosts
            .computeIfAbsent(rule.host(), h -> new ArrayList<>())
            .add(new RouteOrder.Candidate(route, false, order));
      }
    }
  }

  /**
   * Applies {@code spec.defaultBackend} as Higress does ({@code ApplyDefaultBackend}), after the
   * rules of every Ingress: each rule host of this Ingress without a catch-all ({@code Prefix /}, a
   * user route or an older Ingress's default) gets a last-place catch-all. On host {@code *} a user
   * catch-all keeps priority too, but an older Ingress's default catch-all is replaced (Higress
   * replaces the {@code Prefix /} route of {@code *}), so the newest defaultBackend serves
   * unmatched hosts. Each defaultBackend that loses gets a warning.
   */
  private static String describe(RouteMatch m) {
    String s =
        m.path().kind().name().toLowerCase(java.util.Locale.ROOT) + " path " + m.path().value();
    return m.pathOnly() && !m.ignoreCase() ? s : s + " (" + m + ")";
  }

  private void addDefaultBackend(
      IngressResource ing,
      int order,
      IngressPolicies policies,
      Backends backends,
      Map<SourceRef, Diagnostics> extra,
      Map<String, List<RouteOrder.Candidate>> hosts,
      Map<String, IngressResource> defaultOwners,
      java.util.NavigableSet<ClusterSpec> clusters) {
    BackendRef backend = Objects.requireNonNull(ing.defaultBackend());
    Diagnostics d = extra.computeIfAbsent(ing.source(), Diagnostics::new);
    Set<String> targets = new TreeSet<>();
    targets.add("*");
    ing.rules().forEach(r -> targets.add(r.host()));
    RouteAction action = null;
    for (String host : targets) {
      List<RouteOrder.Candidate> routes = hosts.getOrDefault(host, List.of());
      if (routes.stream().anyMatch(c -> !c.defaultBackend() && c.route().match().isCatchAll())) {
        continue; // the user's own catch-all serves this host
      }
      IngressResource previous = defaultOwners.get(host);
      if (previous != null && host.equals("*")) {
        extra
            .computeIfAbsent(previous.source(), Diagnostics::new)
            .warn(
                Objects.requireNonNull(previous.defaultBackend()).at(),
                "defaultBackend no longer serves host *: the"
                    + " newer Ingress "
                    + ing.id()
                    + " replaces it (as in Higress, the newest defaultBackend wins on *)");
        hosts.get(host).removeIf(RouteOrder.Candidate::defaultBackend);
      } else if (previous != null) {
        d.warn(
            backend.at(),
            "defaultBackend not applied to host "
                + host
                + ": the older Ingress "
                + previous.id()
                + " already provides its catch-all");
        continue;
      }
      if (action == null) {
        action = action(ing, policies, backend, backends, d, clusters);
      }
      // Route policies apply to the catch-all too; match refinements do not (it would not catch
      // all).
      Route r =
          new Route(
              ing.id() + "/" + host + "/default",
              RouteMatch.of(PathMatch.prefix("/")),
              action,
              ing.source(),
              policies.route(),
              backend.at().line());
      hosts
          .computeIfAbsent(host, h -> new ArrayList<>())
          .add(new RouteOrder.Candidate(r, true, order));
      defaultOwners.put(host, ing);
    }
  }

  /**
   * Kubernetes cannot hold two Ingresses with one namespace/name, but two files can (a copied
   * file). Both still apply; each later copy gets a warning naming the first, so that a
   * DuplicatedRoute between the copies is not mistaken for a conflict inside one Ingress.
   */
  private static void warnDuplicateIds(
      List<IngressResource> ingresses, Map<SourceRef, Diagnostics> extra) {
    Map<String, IngressResource> first = new HashMap<>();
    for (IngressResource ing : ingresses) {
      IngressResource earlier = first.putIfAbsent(ing.id(), ing);
      if (earlier != null) {
        extra
            .computeIfAbsent(ing.source(), Diagnostics::new)
            .warn(
                ing.at(),
                "Ingress "
                    + ing.id()
                    + " is defined twice (also in "
                    + earlier.source()
                    + ":"
                    + earlier.at().line()
                    + "); names must be unique per namespace, and both copies apply");
      }
    }
  }

  private static boolean usesResourceBackend(IngressResource ing) {
    if (ing.defaultBackend() instanceof BackendRef.Resource) {
      return true;
    }
    return ing.rules().stream()
        .flatMap(r -> r.paths().stream())
        .anyMatch(p -> p.backend() instanceof BackendRef.Resource);
  }

  private static YNode destinationNode(IngressResource ing) {
    return ing.at().get("metadata").get("annotations").get(Destinations.ANNOTATION);
  }

  private RouteAction action(
      IngressResource ing,
      IngressPolicies policies,
      BackendRef backend,
      Backends backends,
      Diagnostics d,
      java.util.NavigableSet<ClusterSpec> clusters) {
    List<Destinations.Line> lines;
    YNode at = backend.at();
    if (backend instanceof BackendRef.Service s) {
      lines = List.of(new Destinations.Line(100, s.name(), s.port()));
    } else {
      String value = ing.annotations().get(Destinations.ANNOTATION);
      if (value == null) {
        d.warn(
            at,
            "backend.resource needs the "
                + Destinations.ANNOTATION
                + " annotation on the Ingress;"
                + " the route answers 503");
        return new RouteAction.DirectResponse(503, "gangway: route has no destination\n");
      }
      // Validated (and its warnings reported) when the document was parsed; parse again quietly.
      lines = Destinations.parse(value, destinationNode(ing), new Diagnostics(ing.source()));
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
      // Service scope: the first (oldest) Ingress to use a cluster shapes it; later ones only route
      // to it.
      ClusterSpec c =
          policies
              .cluster()
              .apply(ClusterSpec.of(r.target().host(), r.target().port(), r.target().protocol()));
      if (!clusters.add(c)) {
        ClusterSpec existing = clusters.ceiling(c);
        if (existing != null && existing.protocol() != c.protocol()) {
          d.warn(
              at,
              "cluster "
                  + c.name()
                  + " already speaks "
                  + existing.protocol()
                  + " (set by an older"
                  + " Ingress or its registry); "
                  + c.protocol()
                  + " from this Ingress is ignored");
        } else if (existing != null
            && !c.policies().isEmpty()
            && !existing.policies().equals(c.policies())) {
          d.warn(
              at,
              "cluster "
                  + c.name()
                  + " keeps the service-scope policies "
                  + existing.policies()
                  + " of an older"
                  + " Ingress (as in Higress, the first Ingress by creation shapes a service); "
                  + c.policies()
                  + " from this Ingress is ignored");
        }
      }
      byCluster.merge(c.name(), weights[i], Integer::sum);
    }
    if (byCluster.isEmpty()) {
      return new RouteAction.DirectResponse(503, "gangway: " + String.join("; ", errors) + "\n");
    }
    int lost = 100 - byCluster.values().stream().mapToInt(Integer::intValue).sum();
    List<Destination> ds = new ArrayList<>();
    byCluster.forEach((c, w) -> ds.add(new Destination(c, w)));
    if (lost > 0) {
      // Keep the shares of the resolvable destinations: the unresolved share is moved to the first
      // one
      // rather than silently failing a fraction of requests.
      Destination first = ds.get(0);
      ds.set(0, new Destination(first.cluster(), first.weight() + lost));
    }
    return new RouteAction.Forward(ds);
  }
}
