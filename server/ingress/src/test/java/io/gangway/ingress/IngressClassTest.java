package io.gangway.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.model.VirtualHost;
import io.gangway.spi.route.RouteDocument;
import io.gangway.spi.route.SourceRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ingress class filtering. The golden runner translates with no class (everything applies), so the
 * filtering itself is tested here with a translator constructed for one class.
 */
class IngressClassTest {

  private static final String BRIDGE =
      """
      apiVersion: networking.higress.io/v1
      kind: McpBridge
      metadata: {name: default}
      spec:
        registries:
          - {type: static, name: a, domain: "127.0.0.1:8001", port: 80}
      """;

  /** One Ingress for host {@code <name>.example.com}, with the given class settings. */
  private static String ingress(String name, String specClass, String annotationClass) {
    return "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: "
        + name
        + "\n"
        + (annotationClass == null
            ? ""
            : "  annotations: {kubernetes.io/ingress.class: " + annotationClass + "}\n")
        + "spec:\n"
        + (specClass == null ? "" : "  ingressClassName: " + specClass + "\n")
        + "  rules:\n    - host: "
        + name
        + ".example.com\n      http:\n        paths:\n"
        + "          - {path: /, pathType: Prefix, backend: {service: {name: a.static, port: {number: 80}}}}\n";
  }

  private static final String ALL =
      BRIDGE
          + ingress("spec-higress", "higress", null)
          + ingress("spec-nginx", "nginx", null)
          + ingress("annotation-higress", null, "higress")
          + ingress("annotation-nginx", null, "nginx")
          + ingress("annotation-wins", "nginx", "higress")
          + ingress("annotation-loses", "higress", "nginx")
          + ingress("no-class", null, null);

  private static List<String> hosts(String ingressClass) {
    TranslationResult r =
        new IngressTranslator(ingressClass)
            .translateDocuments(
                List.of(new RouteDocument(SourceRef.file("routes.yaml"), ALL, "v1")));
    assertThat(r.diagnostics()).isEmpty();
    return r.model().virtualHosts().stream().map(VirtualHost::host).toList();
  }

  @Test
  void translate_withClass_keepsOnlyIngressesOfThatClass() {
    assertThat(hosts("higress"))
        .containsExactly(
            "annotation-higress.example.com",
            "annotation-wins.example.com",
            "spec-higress.example.com");
  }

  @Test
  void translate_withOtherClass_keepsTheOthers() {
    assertThat(hosts("nginx"))
        .containsExactly(
            "annotation-loses.example.com",
            "annotation-nginx.example.com",
            "spec-nginx.example.com");
  }

  @Test
  void translate_annotationAndSpecDisagree_annotationTakesPrecedence() {
    // Kubernetes: "the IngressClass annotation (when set) must be given precedence over this
    // field".
    assertThat(hosts("higress"))
        .contains("annotation-wins.example.com")
        .doesNotContain("annotation-loses.example.com");
  }

  @Test
  void translate_nullOrEmptyClass_keepsEveryIngress() {
    List<String> all =
        List.of(
            "annotation-higress.example.com",
            "annotation-loses.example.com",
            "annotation-nginx.example.com",
            "annotation-wins.example.com",
            "no-class.example.com",
            "spec-higress.example.com",
            "spec-nginx.example.com");
    assertThat(hosts(null)).containsExactlyElementsOf(all);
    assertThat(hosts("")).containsExactlyElementsOf(all);
  }

  @Test
  void translate_classMatchesNothing_givesAnEmptyModelWithTheRegistries() {
    TranslationResult r =
        new IngressTranslator("traefik")
            .translateDocuments(
                List.of(new RouteDocument(SourceRef.file("routes.yaml"), ALL, "v1")));
    assertThat(r.model().virtualHosts()).isEmpty();
    assertThat(r.model().clusters()).isEmpty();
    assertThat(r.model().registries()).hasSize(1);
  }
}
