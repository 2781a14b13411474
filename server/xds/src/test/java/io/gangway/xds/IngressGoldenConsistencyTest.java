package io.gangway.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.gangway.ingress.IngressTranslator;
import io.gangway.ingress.TranslationResult;
import io.gangway.spi.route.RouteDocument;
import io.gangway.spi.route.SourceRef;
import io.gangway.testing.GoldenFiles;
import io.gangway.xds.feature.Features;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every Ingress golden input, whatever it proves (duplicates, 503 routes, default backends,
 * rejected files next to good ones), translates into an xDS set that passes the publisher's
 * consistency check.
 */
class IngressGoldenConsistencyTest {

  private static final XdsTranslator TRANSLATOR =
      new XdsTranslator(
          List.of(
              ListenerSettings.defaults("0.0.0.0", 8080),
              ListenerSettings.defaults("0.0.0.0", 8080).asTls("0.0.0.0", 8443)),
          Features.defaults(),
          Duration.ofSeconds(5));

  @TestFactory
  Stream<DynamicTest> translate_everyIngressGoldenInput_isConsistent() throws IOException {
    Path dir = Path.of("../ingress/src/test/resources/golden");
    List<Path> inputs;
    try (Stream<Path> s = Files.list(dir)) {
      inputs = s.filter(p -> p.toString().endsWith(".in.yaml")).sorted().toList();
    }
    assertThat(inputs).hasSizeGreaterThan(20);
    return inputs.stream()
        .map(
            in ->
                DynamicTest.dynamicTest(
                    GoldenFiles.caseName(in),
                    () -> {
                      TranslationResult r =
                          new IngressTranslator(null).translateDocuments(documents(in));
                      XdsResources x = TRANSLATOR.translate(r.model(), Map.of());
                      assertThat(Consistency.problems(x)).isEmpty();
                      // Every EDS cluster has its endpoints, and every endpoints resource belongs
                      // to a cluster; generated
                      // clusters without endpoints of their own (aggregates, a fail-closed STATIC
                      // one) need none.
                      List<String> endpointNames =
                          x.endpoints().stream().map(e -> e.getClusterName()).toList();
                      assertThat(endpointNames)
                          .containsAll(
                              x.clusters().stream()
                                  .filter(
                                      c ->
                                          c.getType()
                                              == io.envoyproxy.envoy.config.cluster.v3.Cluster
                                                  .DiscoveryType.EDS)
                                  .map(c -> c.getName())
                                  .toList());
                      assertThat(x.clusters().stream().map(c -> c.getName()).toList())
                          .containsAll(endpointNames);
                    }));
  }

  /** Splits an input at its {@code # file: name} lines, as the Ingress golden runner does. */
  private static List<RouteDocument> documents(Path in) throws IOException {
    List<RouteDocument> docs = new ArrayList<>();
    String name = in.getFileName().toString();
    StringBuilder current = new StringBuilder();
    for (String line : Files.readString(in, StandardCharsets.UTF_8).split("\n", -1)) {
      if (line.startsWith("# file: ")) {
        docs.add(new RouteDocument(SourceRef.file(name), current.toString(), "v1"));
        name = line.substring("# file: ".length()).trim();
        current = new StringBuilder();
      } else {
        current.append(line).append('\n');
      }
    }
    docs.add(new RouteDocument(SourceRef.file(name), current.toString(), "v1"));
    return docs;
  }
}
