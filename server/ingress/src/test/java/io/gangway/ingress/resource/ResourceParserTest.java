package io.gangway.ingress.resource;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.model.Diagnostic;
import io.gangway.model.Severity;
import io.gangway.spi.route.RouteDocument;
import io.gangway.spi.route.SourceRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Parser behaviour that golden files cannot show (raw bytes) or that needs the typed objects. */
class ResourceParserTest {

  private final ResourceParser parser = new ResourceParser();

  private ParsedDocument parse(String text) {
    return parser.parse(new RouteDocument(SourceRef.file("test.yaml"), text, "v1"));
  }

  @Test
  void parse_nonUtf8Byte_isAnErrorAtItsLineAndColumn() throws IOException {
    // The file holds a raw 0xFF byte (written with printf); decode it as the file source does.
    byte[] bytes = Files.readAllBytes(Path.of("src/test/resources/bytes/latin1-byte.yaml"));
    assertThat(bytes).contains((byte) 0xFF);
    ParsedDocument p = parse(new String(bytes, StandardCharsets.UTF_8));

    assertThat(p.hasErrors()).isTrue();
    assertThat(p.ingresses()).isEmpty();
    assertThat(p.diagnostics())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.severity()).isEqualTo(Severity.ERROR);
              assertThat(d.line()).isEqualTo(5);
              assertThat(d.column()).isEqualTo(27);
              assertThat(d.toString())
                  .isEqualTo("test.yaml:5:27: error: the document is not valid UTF-8");
            });
  }

  @Test
  void parse_validDocument_givesTypedObjectsWithDefaults() {
    ParsedDocument p =
        parse(
            """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: demo, creationTimestamp: "2026-01-02T03:04:05Z"}
        spec:
          rules:
            - http:
                paths:
                  - {path: "", backend: {service: {name: a.static, port: {number: 8080}}}}
        """);
    assertThat(p.diagnostics()).isEmpty();
    IngressResource ing = p.ingresses().get(0);
    assertThat(ing.id()).isEqualTo("default/demo");
    assertThat(ing.created()).isEqualTo(java.time.Instant.parse("2026-01-02T03:04:05Z"));
    IngressRule rule = ing.rules().get(0);
    assertThat(rule.host()).isEqualTo("*");
    IngressPath path = rule.paths().get(0);
    assertThat(path.path()).isEqualTo("/");
    assertThat(path.type()).isEqualTo(IngressPath.PathType.PREFIX);
    assertThat(path.backend())
        .isInstanceOfSatisfying(
            BackendRef.Service.class,
            s -> {
              assertThat(s.name()).isEqualTo("a.static");
              assertThat(s.port()).isEqualTo(8080);
            });
  }

  @Test
  void parse_badCreationTimestamp_isAnError() {
    ParsedDocument p =
        parse(
            """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: demo, creationTimestamp: yesterday}
        spec: {defaultBackend: {service: {name: a.static}}}
        """);
    assertThat(p.diagnostics())
        .extracting(Diagnostic::message)
        .containsExactly(
            "invalid creationTimestamp 'yesterday' (expected: RFC 3339, e.g. 2026-01-02T03:04:05Z)");
  }

  @Test
  void parse_hugeHost_isRejectedWithAnAbbreviatedMessage() {
    String host = "a".repeat(300) + ".example.com";
    ParsedDocument p =
        parse(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: demo}\n"
                + "spec: {rules: [{host: "
                + host
                + ", http: {paths: [{path: /, backend: {service: {name: a.static}}}]}}]}\n");
    assertThat(p.hasErrors()).isTrue();
    assertThat(p.diagnostics())
        .singleElement()
        .satisfies(
            d -> assertThat(d.message()).startsWith("invalid host 'aaa").hasSizeLessThan(250));
  }

  @Test
  void parse_namedServicePort_warnsAndUsesTheServicePort() {
    ParsedDocument p =
        parse(
            """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: demo}
        spec: {defaultBackend: {service: {name: a.static, port: {name: http}}}}
        """);
    assertThat(p.hasErrors()).isFalse();
    assertThat(p.diagnostics())
        .extracting(Diagnostic::message)
        .containsExactly("named service ports do not exist on VMs; the service's own port is used");
    assertThat(p.ingresses().get(0).defaultBackend())
        .isInstanceOfSatisfying(BackendRef.Service.class, s -> assertThat(s.port()).isZero());
  }
}
