package io.gangway.xds;

import io.gangway.ingress.IngressTranslator;
import io.gangway.ingress.TranslationResult;
import io.gangway.model.Certificate;
import io.gangway.model.Diagnostic;
import io.gangway.model.GatewayModel;
import io.gangway.model.TlsBinding;
import io.gangway.spi.registry.Endpoint;
import io.gangway.spi.registry.EndpointSet;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.route.RouteDocument;
import io.gangway.spi.route.SourceRef;
import io.gangway.testing.GoldenFiles;
import io.gangway.xds.feature.Features;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden cases for route documents → Envoy resources: {@code golden/<case>.in.yaml} → {@code
 * <case>.{listeners,routes,clusters,endpoints}.yaml}, plus {@code <case>.secrets.yaml} when the
 * case serves certificates (private keys redacted, as every printout). Endpoints of {@code static}
 * registries are filled from their {@code domain} (as the static adapter does), so EDS output is
 * visible too.
 *
 * <p>The gateway has a plain listener on 8080 and a TLS listener on 8443, which exists only while
 * some host has a certificate. An input may change that with comment lines: {@code # https-port:
 * <port>} moves the TLS listener, and {@code # default-certificate: <fixture>} adds the test
 * certificate {@code tls/test-<fixture>.{crt,key}} of the ingress module as the file default
 * certificate.
 */
class XdsGoldenTest {

  private static final ListenerSettings HTTP =
      new ListenerSettings(
          "0.0.0.0",
          8080,
          "/var/log/gangway/access.log",
          0,
          Duration.ofSeconds(10),
          Duration.ofHours(1),
          Duration.ofMinutes(5),
          60,
          "unescape-and-redirect");
  static final Path FIXTURES = Path.of("../ingress/src/test/resources/tls");

  @TestFactory
  Stream<DynamicTest> golden() {
    return GoldenFiles.cases(GoldenFiles.sourceDir("golden"), XdsGoldenTest::translate);
  }

  private static Map<String, String> translate(Path in) {
    String text;
    try {
      text = Files.readString(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    TranslationResult r =
        new IngressTranslator(null)
            .translateDocuments(
                List.of(
                    new RouteDocument(SourceRef.file(in.getFileName().toString()), text, "v1")));
    if (r.diagnostics().stream().anyMatch(Diagnostic::isError)) {
      throw new AssertionError("xDS golden inputs must be valid: " + r.diagnostics());
    }
    int httpsPort = Integer.parseInt(directive(text, "https-port", "8443"));
    XdsTranslator translator =
        new XdsTranslator(
            List.of(HTTP, HTTP.asTls("0.0.0.0", httpsPort)),
            Features.defaults(),
            Duration.ofSeconds(5));
    GatewayModel model = r.model();
    String fixture = directive(text, "default-certificate", "");
    if (!fixture.isEmpty()) {
      Certificate c =
          new Certificate(
              "file:certs/default.crt",
              read(FIXTURES.resolve("test-" + fixture + ".crt")),
              read(FIXTURES.resolve("test-" + fixture + ".key")),
              SourceRef.file("certs/default.crt"));
      model = model.withFallbackTls(List.of(c), List.of(new TlsBinding("*", c.name())));
    }
    XdsResources x = translator.translate(model, staticEndpoints(model.registries()));
    if (!Consistency.problems(x).isEmpty()) {
      throw new AssertionError("inconsistent: " + Consistency.problems(x));
    }
    Map<String, String> out = new LinkedHashMap<>();
    out.put("listeners", XdsPrinter.yaml(x.listeners()));
    out.put("routes", XdsPrinter.yaml(x.routes()));
    out.put("clusters", XdsPrinter.yaml(x.clusters()));
    out.put("endpoints", XdsPrinter.yaml(x.endpoints()));
    if (!x.secrets().isEmpty()
        || Files.exists(in.resolveSibling(GoldenFiles.caseName(in) + ".secrets.yaml"))) {
      out.put("secrets", XdsPrinter.yaml(x.secrets()));
    }
    return out;
  }

  /** Returns the value of a {@code # name: value} line of the input, or {@code fallback}. */
  private static String directive(String text, String name, String fallback) {
    return text.lines()
        .filter(l -> l.startsWith("# " + name + ": "))
        .map(l -> l.substring(name.length() + 4).trim())
        .findFirst()
        .orElse(fallback);
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, EndpointSet> staticEndpoints(List<RegistryConfig> registries) {
    Map<String, EndpointSet> out = new TreeMap<>();
    for (RegistryConfig c : registries) {
      if (!c.type().equals("static")) {
        continue;
      }
      List<Endpoint> eps =
          Stream.of(c.string("domain", "").split(","))
              .map(String::trim)
              .filter(s -> !s.isEmpty())
              .map(
                  s ->
                      Endpoint.of(
                          s.substring(0, s.lastIndexOf(':')).replace("[", "").replace("]", ""),
                          Integer.parseInt(s.substring(s.lastIndexOf(':') + 1))))
              .toList();
      out.put(c.name() + ".static", new EndpointSet(c.name() + ".static", eps));
    }
    return out;
  }
}
