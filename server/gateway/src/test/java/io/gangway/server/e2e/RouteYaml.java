package io.gangway.server.e2e;

/**
 * {@code RouteYaml} builds the route file the registry end-to-end tests share: one McpBridge
 * holding the registry entries under test and one Ingress that sends {@code /} (of one host, or of
 * every host) to one service on port 80.
 */
final class RouteYaml {

  private RouteYaml() {}

  /**
   * Returns a {@code static} registry entry {@code name} listing {@code domain} ({@code
   * ip:port,...}).
   */
  static String staticRegistry(String name, String domain) {
    return "- {type: static, name: %s, domain: \"%s\", port: 80}\n".formatted(name, domain);
  }

  /**
   * Returns the McpBridge {@code default} with {@code registries} (YAML sequence items, written
   * from column 0) and the Ingress {@code registry} that sends {@code /} of any host to {@code
   * service}.
   */
  static String anyHost(String registries, String service) {
    return bridge(registries)
        + """
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: registry}
        spec:
          rules:
            - http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: %s, port: {number: 80}}}}
        """
            .formatted(service);
  }

  /**
   * Returns the McpBridge {@code default} with {@code registries} and an Ingress with {@code
   * ingressMetadata} (a flow mapping, e.g. {@code {name: web, namespace: default}}) that sends
   * {@code /} of {@code host} to {@code service}.
   */
  static String forHost(String registries, String ingressMetadata, String host, String service) {
    return bridge(registries)
        + """
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: %s
        spec:
          rules:
            - host: %s
              http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: %s, port: {number: 80}}}}
        """
            .formatted(ingressMetadata, host, service);
  }

  private static String bridge(String registries) {
    return """
        apiVersion: networking.higress.io/v1
        kind: McpBridge
        metadata: {name: default, namespace: higress-system}
        spec:
          registries:
        %s
        """
        .formatted(registries.stripTrailing().indent(4).stripTrailing());
  }

  /**
   * Returns {@code services} static registries {@code s0..} (all pointing at {@code port} on
   * 127.0.0.1) and one Ingress with {@code hosts} virtual hosts {@code h0.test..} holding {@code
   * paths} exact paths {@code /p0..} in all; path {@code i} goes to service {@code (i + shift) %
   * services}. For scale tests: 10,000 routes in 100 virtual hosts.
   */
  static String many(int services, int port, int hosts, int paths, int shift) {
    StringBuilder sb =
        new StringBuilder(
            """
            apiVersion: networking.higress.io/v1
            kind: McpBridge
            metadata: {name: default, namespace: higress-system}
            spec:
              registries:
            """);
    for (int s = 0; s < services; s++) {
      sb.append(
          "    - {type: static, name: s%d, domain: \"127.0.0.1:%d\", port: 80}\n"
              .formatted(s, port));
    }
    sb.append(
        """
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: many, namespace: default}
        spec:
          rules:
        """);
    int perHost = paths / hosts;
    for (int h = 0; h < hosts; h++) {
      sb.append("    - host: h%d.test\n      http:\n        paths:\n".formatted(h));
      for (int p = 0; p < perHost; p++) {
        int i = h * perHost + p;
        sb.append(
            "          - {path: /p%d, pathType: Exact, backend: {service: {name: s%d.static, port: {number: 80}}}}\n"
                .formatted(i, (i + shift) % services));
      }
    }
    return sb.toString();
  }
}
