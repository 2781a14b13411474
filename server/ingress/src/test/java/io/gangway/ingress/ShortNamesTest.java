package io.gangway.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.model.RouteAction;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.route.RouteDocument;
import io.gangway.spi.route.SourceRef;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ShortNamesTest {

  private static final RegistryConfig NACOS =
      new RegistryConfig(
          "nacos2",
          "n",
          Map.of("nacosGroups", List.of("DEFAULT_GROUP", "BLUE_GROUP"), "nacosNamespaceId", "dev"));

  @Test
  void find_nacos_followsTheGroupOrderAndHostFormat() {
    Set<String> hosts =
        Set.of(
            "echo.BLUE-GROUP.dev.nacos",
            "echo.DEFAULT-GROUP.dev.nacos",
            "other.DEFAULT-GROUP.dev.nacos");
    assertThat(ShortNames.find(NACOS, "echo", hosts)).contains("echo.DEFAULT-GROUP.dev.nacos");
    assertThat(ShortNames.find(NACOS, "ech", hosts)).isEmpty();
  }

  @Test
  void find_otherTypes_useTheirHostFormats() {
    RegistryConfig zk = new RegistryConfig("zookeeper", "zk", Map.of());
    assertThat(
            ShortNames.find(
                zk, "echo", Set.of("providers:echo:0.0.0:.zookeeper", "echo.services.zookeeper")))
        .contains("echo.services.zookeeper");
    RegistryConfig consul = new RegistryConfig("consul", "c", Map.of("consulDatacenter", "dc_1"));
    assertThat(ShortNames.find(consul, "my_api", Set.of("my-api.dc-1.consul")))
        .contains("my-api.dc-1.consul");
    RegistryConfig eureka = new RegistryConfig("eureka", "e", Map.of());
    assertThat(ShortNames.find(eureka, "order-service", Set.of("ORDER-SERVICE.eureka")))
        .contains("ORDER-SERVICE.eureka");
  }

  @Test
  void translate_shortName_resolvesOnceDiscovered_andSaysItDependsOnDiscovery() {
    String yaml =
        """
        apiVersion: networking.higress.io/v1
        kind: McpBridge
        metadata: {name: default}
        spec:
          registries:
            - {type: static, name: fixed, domain: "127.0.0.1:80", port: 80}
            - {type: nacos2, name: n, domain: 127.0.0.1, nacosGroups: [DEFAULT_GROUP]}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: short}
        spec:
          rules:
            - http:
                paths:
                  - {path: /, pathType: Prefix, backend: {service: {name: echo, port: {number: 8080}}}}
        """;
    IngressTranslator t = new IngressTranslator(null);
    var doc = t.parse(new RouteDocument(SourceRef.file("short.yaml"), yaml, "v1"));
    TranslationResult before = t.translate(List.of(doc), ServiceCatalog.NONE);
    assertThat(before.usesCatalog()).isTrue();
    assertThat(before.model().virtualHosts().get(0).routes().get(0).action())
        .isInstanceOf(RouteAction.DirectResponse.class);
    TranslationResult after =
        t.translate(
            List.of(doc),
            r -> r.type().equals("nacos2") ? Set.of("echo.DEFAULT-GROUP.public.nacos") : Set.of());
    assertThat(after.model().virtualHosts().get(0).routes().get(0).action())
        .isEqualTo(RouteAction.forward("outbound|8080||echo.DEFAULT-GROUP.public.nacos"));
  }
}
