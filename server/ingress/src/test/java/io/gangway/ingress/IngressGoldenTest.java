package io.gangway.ingress;

import io.gangway.spi.route.RouteDocument;
import io.gangway.spi.route.SourceRef;
import io.gangway.testing.GoldenFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden cases for Ingress → model: {@code golden/<case>.in.yaml} → {@code <case>.model.yaml}. An
 * input may hold several files separated by a line {@code # file: <name>}; each becomes its own
 * document.
 */
class IngressGoldenTest {

  @TestFactory
  Stream<DynamicTest> golden() {
    return GoldenFiles.cases(GoldenFiles.sourceDir("golden"), in -> Map.of("model", translate(in)));
  }

  static List<RouteDocument> documents(Path in) {
    String text;
    try {
      text = Files.readString(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<RouteDocument> docs = new ArrayList<>();
    String name = GoldenFiles.caseName(in) + ".yaml";
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      if (line.startsWith("# file: ")) {
        if (!current.toString().isBlank()) {
          docs.add(new RouteDocument(SourceRef.file(name), current.toString(), "v1"));
        }
        name = line.substring("# file: ".length()).trim();
        current = new StringBuilder();
        continue;
      }
      current.append(line).append('\n');
    }
    docs.add(new RouteDocument(SourceRef.file(name), current.toString(), "v1"));
    return docs;
  }

  private static String translate(Path in) {
    return ModelYaml.print(new IngressTranslator(null).translateDocuments(documents(in)));
  }
}
