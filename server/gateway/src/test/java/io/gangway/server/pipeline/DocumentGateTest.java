package io.gangway.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.ingress.IngressTranslator;
import io.gangway.ingress.resource.ParsedDocument;
import io.gangway.model.Diagnostic;
import io.gangway.model.Severity;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.route.RouteDocument;
import io.gangway.spi.route.RouteSnapshot;
import io.gangway.spi.route.SourceRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One bad document never takes the others down, and its last good version survives restarts. */
class DocumentGateTest {

  private static final SourceRef A = SourceRef.file("routes/a.yaml");
  private static final SourceRef B = SourceRef.file("routes/b.yaml");
  private static final Function<RegistryConfig, String> ALL_VALID = r -> "";

  @TempDir Path dataDir;

  private final IngressTranslator translator = new IngressTranslator(null);

  private static RouteDocument ingress(SourceRef ref, String name, String path, String version) {
    return new RouteDocument(
        ref,
        """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: %s}
        spec:
          rules:
            - http:
                paths:
                  - {path: %s, pathType: Prefix, backend: {service: {name: a.static, port: {number: 80}}}}
        """
            .formatted(name, path),
        version);
  }

  private static RouteDocument broken(SourceRef ref, String version) {
    return new RouteDocument(
        ref,
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: x}\n"
            + "spec:\n  rules: [ {host: UPPER.example.com\n",
        version);
  }

  private DocumentGate gate(Function<RegistryConfig, String> check) {
    return new DocumentGate(translator, check, new LastGoodStore(dataDir));
  }

  private static List<String> live(DocumentGate.Admission a) {
    return a.live().stream()
        .map(p -> p.document().source() + "@" + p.document().version())
        .toList();
  }

  private static List<String> states(DocumentGate.Admission a) {
    return a.statuses().stream()
        .map(
            s ->
                s.source()
                    + " "
                    + s.state()
                    + " latest="
                    + s.latestVersion()
                    + " live="
                    + s.liveVersion())
        .toList();
  }

  @Test
  void admit_allValid_appliesEverything() {
    DocumentGate.Admission a =
        gate(ALL_VALID)
            .admit(
                new RouteSnapshot(
                    List.of(ingress(A, "a", "/a", "v1"), ingress(B, "b", "/b", "v1"))));
    assertThat(live(a)).containsExactly("routes/a.yaml@v1", "routes/b.yaml@v1");
    assertThat(a.rejectedDiagnostics()).isEmpty();
    assertThat(states(a))
        .containsExactly(
            "routes/a.yaml applied latest=v1 live=v1", "routes/b.yaml applied latest=v1 live=v1");
  }

  @Test
  void admit_brokenEdit_keepsItsLastGoodVersionAndAppliesTheOthers() {
    DocumentGate gate = gate(ALL_VALID);
    gate.admit(
        new RouteSnapshot(List.of(ingress(A, "a", "/a", "v1"), ingress(B, "b", "/b", "v1"))));

    DocumentGate.Admission a =
        gate.admit(new RouteSnapshot(List.of(broken(A, "v2"), ingress(B, "b", "/b2", "v2"))));

    assertThat(live(a)).containsExactly("routes/a.yaml@v1", "routes/b.yaml@v2");
    assertThat(states(a))
        .containsExactly(
            "routes/a.yaml rejected latest=v2 live=v1", "routes/b.yaml applied latest=v2 live=v2");
    assertThat(a.rejectedDiagnostics())
        .isNotEmpty()
        .allSatisfy(d -> assertThat(d.source()).isEqualTo(A))
        .anySatisfy(d -> assertThat(d.isError()).isTrue());
  }

  @Test
  void admit_brokenFromTheStart_hasNothingLive() {
    DocumentGate.Admission a = gate(ALL_VALID).admit(new RouteSnapshot(List.of(broken(A, "v1"))));
    assertThat(a.live()).isEmpty();
    assertThat(states(a)).containsExactly("routes/a.yaml rejected-none-live latest=v1 live=null");
  }

  @Test
  void admit_afterRestart_servesTheBrokenDocumentFromThePersistedVersion() {
    gate(ALL_VALID)
        .admit(
            new RouteSnapshot(List.of(ingress(A, "a", "/a", "v1"), ingress(B, "b", "/b", "v1"))));

    // A new process: a new gate and store over the same data directory; the file is broken
    // meanwhile.
    DocumentGate restarted = gate(ALL_VALID);
    DocumentGate.Admission a =
        restarted.admit(new RouteSnapshot(List.of(broken(A, "v2"), ingress(B, "b", "/b", "v1"))));

    assertThat(live(a)).containsExactly("routes/a.yaml@v1", "routes/b.yaml@v1");
    ParsedDocument served = a.live().get(0);
    assertThat(served.ingresses())
        .singleElement()
        .satisfies(i -> assertThat(i.name()).isEqualTo("a"));
    assertThat(states(a)).first().isEqualTo("routes/a.yaml rejected latest=v2 live=v1");
  }

  @Test
  void admit_deletedDocument_isDroppedAndForgottenAcrossRestarts() {
    DocumentGate gate = gate(ALL_VALID);
    gate.admit(
        new RouteSnapshot(List.of(ingress(A, "a", "/a", "v1"), ingress(B, "b", "/b", "v1"))));
    DocumentGate.Admission a = gate.admit(new RouteSnapshot(List.of(ingress(B, "b", "/b", "v1"))));
    assertThat(live(a)).containsExactly("routes/b.yaml@v1");

    // Re-created broken after the deletion: there is no last good version to fall back to any more.
    DocumentGate.Admission again =
        gate(ALL_VALID).admit(new RouteSnapshot(List.of(broken(A, "v3"))));
    assertThat(again.live()).isEmpty();
    assertThat(new LastGoodStore(dataDir).documents()).isEmpty();
  }

  @Test
  void newStore_corruptFile_isIgnored() throws IOException {
    Files.writeString(dataDir.resolve("last-good-routes.json"), "{ this is not json");
    LastGoodStore store = new LastGoodStore(dataDir);
    assertThat(store.documents()).isEmpty();

    DocumentGate.Admission a =
        new DocumentGate(translator, ALL_VALID, store)
            .admit(new RouteSnapshot(List.of(ingress(A, "a", "/a", "v1"))));
    assertThat(live(a)).containsExactly("routes/a.yaml@v1");
    // ... and the store is usable again.
    assertThat(new LastGoodStore(dataDir).documents()).containsOnlyKeys(A);
  }

  @Test
  void newStore_wrongShapeJson_isIgnored() throws IOException {
    Files.writeString(dataDir.resolve("last-good-routes.json"), "{\"scheme\": 1}");
    assertThat(new LastGoodStore(dataDir).documents()).isEmpty();
  }

  @Test
  void newGate_storedDocumentThatNoLongerParses_isNotUsedAsLastGood() throws IOException {
    // A store written by an older version whose rules were laxer: its document is not trusted
    // blindly.
    Files.writeString(
        dataDir.resolve("last-good-routes.json"),
        """
        [{"scheme":"file","location":"routes/a.yaml","version":"v0","content":"kind: Ingress\\napiVersion: networking.k8s.io/v1\\nmetadata: {name: a}\\nspec: {rules: [{host: BAD}]}\\n"}]
        """);
    DocumentGate.Admission a = gate(ALL_VALID).admit(new RouteSnapshot(List.of(broken(A, "v1"))));
    assertThat(a.live()).isEmpty();
  }

  @Test
  void admit_registryRejectedByItsAdapter_rejectsTheDocument() {
    RouteDocument bridge =
        new RouteDocument(
            B,
            """
        apiVersion: networking.higress.io/v1
        kind: McpBridge
        metadata: {name: default}
        spec:
          registries:
            - {type: static, name: a, domain: "not-an-ip:80", port: 80}
        """,
            "v1");
    DocumentGate.Admission a =
        gate(r -> "domain: 'not-an-ip:80' (expected: an IP address)")
            .admit(new RouteSnapshot(List.of(bridge)));
    assertThat(a.live()).isEmpty();
    assertThat(a.rejectedDiagnostics())
        .extracting(Diagnostic::toString)
        .containsExactly(
            "routes/b.yaml:1:1: error: registry static/a: domain: 'not-an-ip:80' (expected: an IP address)"
                + " (at McpBridge/default.spec.registries[0])");
  }

  @Test
  void admit_registryTypeWithoutAdapter_isOnlyAWarning() {
    RouteDocument bridge =
        new RouteDocument(
            B,
            """
        apiVersion: networking.higress.io/v1
        kind: McpBridge
        metadata: {name: default}
        spec:
          registries:
            - {type: eureka, name: e, domain: 127.0.0.1, port: 8761}
        """,
            "v1");
    DocumentGate.Admission a =
        gate(r -> "unavailable:no adapter for type eureka")
            .admit(new RouteSnapshot(List.of(bridge)));
    assertThat(live(a)).containsExactly("routes/b.yaml@v1");
    assertThat(a.live().get(0).diagnostics())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.severity()).isEqualTo(Severity.WARNING);
              assertThat(d.message()).isEqualTo("registry eureka/e: no adapter for type eureka");
            });
  }
}
