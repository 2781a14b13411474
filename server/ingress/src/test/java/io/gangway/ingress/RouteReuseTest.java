package io.gangway.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.ingress.resource.ParsedDocument;
import io.gangway.model.Route;
import io.gangway.model.VirtualHost;
import io.gangway.spi.route.RouteDocument;
import io.gangway.spi.route.SourceRef;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The translator hands back the route it built last time for a parsed path whose route is
 * unchanged, so that later stages compare routes by identity; a changed route is a new object, and
 * the model is what a fresh translator builds.
 */
class RouteReuseTest {

  private static final String BRIDGE =
      """
      apiVersion: networking.higress.io/v1
      kind: McpBridge
      metadata: {name: default}
      spec:
        registries:
          - {type: static, name: a, domain: "10.0.0.1:80", port: 80}
          - {type: static, name: b, domain: "10.0.0.2:80", port: 80}
      """;

  private static ParsedDocument doc(IngressTranslator t, String file, String host, String backend) {
    String yaml =
        """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: %s}
        spec:
          rules:
            - host: %s
              http:
                paths:
                  - {path: /x, pathType: Prefix, backend: {service: {name: %s.static, port: {number: 80}}}}
        """
            .formatted(file.replace(".yaml", ""), host, backend);
    return t.parse(new RouteDocument(SourceRef.file(file), yaml, "v-" + backend));
  }

  private static Route only(TranslationResult r, String host) {
    return r.model().virtualHosts().stream()
        .filter(v -> v.host().equals(host))
        .map(VirtualHost::routes)
        .findFirst()
        .orElseThrow()
        .get(0);
  }

  @Test
  void translate_unchangedDocument_reusesItsRoute_changedDocumentGetsANewOne() {
    IngressTranslator t = new IngressTranslator(null);
    ParsedDocument bridge = t.parse(new RouteDocument(SourceRef.file("b.yaml"), BRIDGE, "v1"));
    ParsedDocument one = doc(t, "one.yaml", "one.test", "a");
    ParsedDocument two = doc(t, "two.yaml", "two.test", "a");
    TranslationResult first = t.translate(List.of(bridge, one, two));

    ParsedDocument twoEdited = doc(t, "two.yaml", "two.test", "b");
    TranslationResult second = t.translate(List.of(bridge, one, twoEdited));

    assertThat(only(second, "one.test")).isSameAs(only(first, "one.test"));
    assertThat(only(second, "two.test")).isNotSameAs(only(first, "two.test"));
    assertThat(only(second, "two.test").action().toString()).contains("b.static");
    assertThat(second.model())
        .isEqualTo(new IngressTranslator(null).translate(List.of(bridge, one, twoEdited)).model());
  }

  @Test
  void translate_sameParsedPath_whoseBackendNowResolvesElsewhere_isRebuilt() {
    IngressTranslator t = new IngressTranslator(null);
    ParsedDocument one = doc(t, "one.yaml", "one.test", "a");
    ParsedDocument bridge = t.parse(new RouteDocument(SourceRef.file("b.yaml"), BRIDGE, "v1"));
    Route unresolved = only(t.translate(List.of(one)), "one.test");
    Route resolved = only(t.translate(List.of(bridge, one)), "one.test");

    assertThat(resolved).isNotSameAs(unresolved);
    assertThat(resolved.action()).isNotEqualTo(unresolved.action());
  }
}
