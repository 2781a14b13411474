package io.gangway.ingress.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.gangway.model.Diagnostic;
import io.gangway.spi.route.SourceRef;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.nodes.Node;

/** Hostile-input bounds of {@link YamlLoader}: each case must end quickly with a diagnostic. */
class YamlLoaderTest {

  private final Diagnostics d = new Diagnostics(SourceRef.file("test.yaml"));

  private List<Node> load(String text) {
    return assertTimeoutPreemptively(Duration.ofSeconds(5), () -> YamlLoader.load(text, d));
  }

  private List<String> errors() {
    return d.all().stream().filter(Diagnostic::isError).map(Diagnostic::toString).toList();
  }

  /** A billion-laughs document: {@code levels} levels of {@code width} aliases each. */
  private static String bomb(int levels, int width) {
    StringBuilder sb = new StringBuilder("x0: &x0 [lol]\n");
    for (int i = 1; i <= levels; i++) {
      sb.append("x").append(i).append(": &x").append(i).append(" [");
      for (int j = 0; j < width; j++) {
        sb.append(j == 0 ? "" : ", ").append("*x").append(i - 1);
      }
      sb.append("]\n");
    }
    return sb.toString();
  }

  @Test
  void load_aliasBombWithinTheAliasLimit_isRejectedWithoutExpanding() {
    assertThat(load(bomb(24, 2))).isEmpty(); // 48 aliases, 2^24 leaves
    assertThat(errors())
        .singleElement()
        .asString()
        .startsWith("test.yaml:1:1: error: YAML aliases expand this document to ")
        .contains("an alias bomb is rejected");
  }

  @Test
  void load_moreAliasesThanTheLimit_isRejected() {
    assertThat(load(bomb(6, 9))).isEmpty(); // 54 aliases
    assertThat(errors()).singleElement().asString().contains("YAML rejected").contains("aliases");
  }

  @Test
  void load_modestAliasReuse_isAccepted() {
    assertThat(load(bomb(3, 10))).hasSize(1); // 1,000 leaves: well within the expansion budget
    assertThat(d.all()).isEmpty();
  }

  @Test
  void load_recursiveAlias_isRejectedWithItsLocation() {
    assertThat(load("a: &a\n  b: *a\n")).isEmpty();
    assertThat(errors())
        .containsExactly(
            "test.yaml:1:4: error: recursive YAML alias: the node anchored here contains itself (at doc[0].a.b)");
  }

  @Test
  void load_recursiveSequence_isRejected() {
    assertThat(load("- &s [1, *s]\n")).isEmpty();
    assertThat(errors()).singleElement().asString().contains("recursive YAML alias");
  }

  @Test
  void load_deepNestingThroughAliases_isRejected() {
    // Each level nests the previous one twice as deep as written: 60 x 5 levels = 300 > 256.
    StringBuilder sb = new StringBuilder("l0: &l0 " + "[".repeat(60) + "]".repeat(60) + "\n");
    for (int i = 1; i <= 5; i++) {
      sb.append("l")
          .append(i)
          .append(": &l")
          .append(i)
          .append(" ")
          .append("[".repeat(59))
          .append("*l")
          .append(i - 1)
          .append("]".repeat(59))
          .append("\n");
    }
    assertThat(load(sb.toString())).isEmpty();
    assertThat(errors()).singleElement().asString().contains("nesting deeper than 256 levels");
  }

  @Test
  void load_deepTextualNesting_isASyntaxErrorNotAStackOverflow() {
    assertThat(load("a: " + "[".repeat(10_000) + "]".repeat(10_000))).isEmpty();
    assertThat(errors()).hasSize(1);
  }

  @Test
  void load_duplicateKeys_areErrorsAtEachDuplicateButTheDocumentIsStillReturned() {
    List<Node> docs = load("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n");
    assertThat(docs).hasSize(1);
    assertThat(errors())
        .containsExactly(
            "test.yaml:4:3: error: duplicate key 'c' (at doc[0].b.c)",
            "test.yaml:5:1: error: duplicate key 'a' (at doc[0].a)");
  }

  @Test
  void load_duplicateKeyInAnAliasedMapping_isReportedOnce() {
    load("base: &b {k: 1, k: 2}\nx: *b\ny: *b\n");
    assertThat(errors()).hasSize(1);
  }

  @Test
  void load_pathsOfAKubernetesObject_startWithKindAndName() {
    load("kind: Ingress\nmetadata: {name: demo}\nspec: {x: 1, x: 2}\n");
    assertThat(errors())
        .containsExactly("test.yaml:3:14: error: duplicate key 'x' (at Ingress/demo.spec.x)");
  }

  @Test
  void load_multipleDocuments_areCheckedEach() {
    assertThat(load("a: 1\n---\nb: &b [*b]\n")).isEmpty();
    assertThat(errors()).singleElement().asString().contains("recursive YAML alias");
  }
}
