package io.gangway.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.ingress.resource.ParsedDocument;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.route.RouteDocument;
import io.gangway.spi.route.SourceRef;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthSecretNameTest {

  private static final String BRIDGE =
      """
      apiVersion: networking.higress.io/v1
      kind: McpBridge
      metadata: {name: default, namespace: higress-system}
      spec:
        registries:
          - {type: nacos2, name: nacos, domain: 10.0.0.1, nacosGroups: [DEFAULT_GROUP], authSecretName: nacos-auth}
          - {type: consul, name: consul, domain: 10.0.0.2, consulDatacenter: dc1, authSecretName: consul-auth}
      """;

  private static final String SECRETS =
      """
      apiVersion: v1
      kind: Secret
      metadata: {name: nacos-auth, namespace: higress-system}
      type: Opaque
      data:
        nacosUsername: Z2FuZ3dheQ==
        nacosPassword: czNjcjN0LXB3
      ---
      apiVersion: v1
      kind: Secret
      metadata: {name: consul-auth, namespace: higress-system}
      stringData: {consulToken: tok-123}
      """;

  @Test
  void translate_authSecretName_addsTheSecretsCredentialsToTheRegistry_fromAnotherDocument() {
    TranslationResult r = translate(BRIDGE, SECRETS);
    RegistryConfig nacos = r.model().registries().get(0);
    RegistryConfig consul = r.model().registries().get(1);
    assertThat(nacos.string("nacosUsername", null)).isEqualTo("gangway");
    assertThat(nacos.string("nacosPassword", null)).isEqualTo("s3cr3t-pw");
    assertThat(consul.string("consulToken", null)).isEqualTo("tok-123");
    assertThat(r.diagnostics()).isEmpty();
  }

  @Test
  void credentials_neverAppearInToStringsOrDiagnostics() {
    TranslationResult r = translate(BRIDGE, SECRETS);
    String shown =
        r.model().registries().toString()
            + r.diagnostics()
            + new IngressTranslator(null).parse(doc("secrets.yaml", SECRETS)).credentials();
    assertThat(shown)
        .doesNotContain("s3cr3t-pw")
        .doesNotContain("tok-123")
        .doesNotContain("czNjcjN0LXB3")
        .contains("[redacted]");
  }

  @Test
  void translate_missingSecret_isAWarning_andTheRegistryConnectsWithoutCredentials() {
    TranslationResult r = translate(BRIDGE);
    assertThat(r.model().registries().get(0).string("nacosPassword", null)).isNull();
    assertThat(r.diagnostics())
        .extracting(Object::toString)
        .anyMatch(
            d ->
                d.contains(
                    "authSecretName 'nacos-auth' names no Secret in namespace higress-system"));
  }

  private static TranslationResult translate(String... texts) {
    IngressTranslator t = new IngressTranslator(null);
    List<ParsedDocument> docs = new java.util.ArrayList<>();
    for (int i = 0; i < texts.length; i++) {
      docs.add(t.parse(doc("doc" + i + ".yaml", texts[i])));
    }
    return t.translate(docs);
  }

  private static RouteDocument doc(String name, String text) {
    return new RouteDocument(SourceRef.file(name), text, "v1");
  }
}
