package io.gangway.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.ingress.annotation.Families;
import io.gangway.ingress.annotation.IngressPolicies;
import io.gangway.ingress.resource.IngressResource;
import io.gangway.ingress.resource.ResourceParser;
import io.gangway.ingress.yaml.Diagnostics;
import io.gangway.model.NamedMatch;
import io.gangway.model.PathMatch;
import io.gangway.model.Route;
import io.gangway.model.RouteAction;
import io.gangway.model.RouteMatch;
import io.gangway.model.StringMatch;
import io.gangway.spi.route.RouteDocument;
import io.gangway.spi.route.SourceRef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link CanaryMerge} on a main route with header, query and method conditions (the match family's
 * annotations, simulated here by a match refinement on both Ingresses, since the rule key includes
 * them): the header canary keeps the method and query conditions and replaces the header ones.
 */
class CanaryMergeTest {

  private static final NamedMatch TENANT =
      new NamedMatch("x-tenant", new StringMatch(StringMatch.Kind.EXACT, "a"));
  private static final NamedMatch DEBUG =
      new NamedMatch("debug", new StringMatch(StringMatch.Kind.EXACT, "1"));
  private static final UnaryOperator<RouteMatch> REFINE =
      m ->
          m.withHeaders(List.of(TENANT))
              .withQueryParameters(List.of(DEBUG))
              .withMethods(List.of("GET", "POST"));

  private static IngressResource ingress(String yaml) {
    return new ResourceParser()
        .parse(new RouteDocument(SourceRef.file("t.yaml"), yaml, "v1"))
        .ingresses()
        .get(0);
  }

  private static final String CANARY =
      """
      apiVersion: networking.k8s.io/v1
      kind: Ingress
      metadata:
        name: canary
        annotations: {nginx.ingress.kubernetes.io/canary: "true", nginx.ingress.kubernetes.io/canary-by-header: x-c}
      spec:
        rules:
          - host: h
            http:
              paths:
                - {path: /api, pathType: Prefix, backend: {service: {name: canary.static, port: {number: 80}}}}
      """;

  @Test
  void headerCanary_keepsMethodAndQueryOfTheMainRoute_andReplacesItsHeaders() {
    IngressResource canary = ingress(CANARY);
    IngressPolicies parsed = Families.parse(canary, new Diagnostics(canary.source()));
    IngressPolicies withMatch =
        new IngressPolicies(parsed.route(), REFINE, parsed.cluster(), parsed.host());
    Map<IngressResource, IngressPolicies> policies = new HashMap<>();
    policies.put(canary, withMatch);
    CanaryMerge merge =
        new CanaryMerge(
            List.of(canary),
            policies,
            (ing, backend, d) -> RouteAction.forward("canary-cluster"),
            new HashMap<>());
    Route main =
        new Route(
            "main",
            REFINE.apply(RouteMatch.of(PathMatch.prefix("/api"))),
            RouteAction.forward("main-cluster"),
            SourceRef.file("m.yaml"),
            io.gangway.model.policy.Policies.none());

    List<Route> routes = merge.merge("h", List.of(new RouteOrder.Candidate(main, false, 0)));

    assertThat(merge.isCanary(canary)).isTrue();
    assertThat(routes).hasSize(2);
    assertThat(routes.get(1)).isEqualTo(main);
    RouteMatch m = routes.get(0).match();
    assertThat(m.headers())
        .containsExactly(new NamedMatch("x-c", new StringMatch(StringMatch.Kind.EXACT, "always")));
    assertThat(m.queryParameters()).containsExactly(DEBUG);
    assertThat(m.methods()).containsExactly("GET", "POST");
    assertThat(m.path()).isEqualTo(main.match().path());
    assertThat(routes.get(0).action()).isEqualTo(RouteAction.forward("canary-cluster"));
  }

  @Test
  void canaryWithoutTheMainRoutesMatchAnnotations_doesNotAttach() {
    IngressResource canary = ingress(CANARY);
    Map<IngressResource, IngressPolicies> policies = new HashMap<>();
    policies.put(canary, Families.parse(canary, new Diagnostics(canary.source())));
    Map<SourceRef, Diagnostics> extra = new HashMap<>();
    CanaryMerge merge =
        new CanaryMerge(
            List.of(canary),
            policies,
            (ing, backend, d) -> RouteAction.forward("canary-cluster"),
            extra);
    Route main =
        new Route(
            "main",
            REFINE.apply(RouteMatch.of(PathMatch.prefix("/api"))),
            RouteAction.forward("main-cluster"),
            SourceRef.file("m.yaml"),
            io.gangway.model.policy.Policies.none());

    List<Route> routes = merge.merge("h", List.of(new RouteOrder.Candidate(main, false, 0)));
    merge.reportUnattached();

    assertThat(routes).containsExactly(main);
    assertThat(extra.get(canary.source()).all())
        .singleElement()
        .satisfies(d -> assertThat(d.message()).contains("canary path ignored"));
  }
}
