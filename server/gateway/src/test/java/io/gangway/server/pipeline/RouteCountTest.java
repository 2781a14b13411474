package io.gangway.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RouteCountTest {

  @Test
  void paths_countsTheItemsOfEveryPathsSequence_acrossRulesAndDocuments() {
    String yaml =
        """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: a, annotations: {paths: "not a sequence"}}
        spec:
          rules:
            - host: a.test
              http:
                paths:
                  - {path: /x, pathType: Prefix, backend: {service: {name: s, port: {number: 80}}}}
                  - path: /y
                    pathType: Exact
                    backend: {service: {name: s, port: {number: 80}}}
            - http:
                paths: [{path: /z, pathType: Prefix, backend: {service: {name: s, port: {number: 80}}}}]
        ---
        apiVersion: networking.higress.io/v1
        kind: McpBridge
        metadata: {name: default}
        spec:
          registries:
            - {type: static, name: paths, domain: "127.0.0.1:80"}
        """;

    assertThat(RouteCount.paths(yaml)).isEqualTo(3);
  }

  @Test
  void paths_ofABrokenDocument_countsWhatParsedBeforeTheError() {
    assertThat(
            RouteCount.paths(
                "spec:\n  paths:\n    - {path: /a}\n    - {path: /b}\n  x: [unclosed\n"))
        .isEqualTo(2);
  }
}
