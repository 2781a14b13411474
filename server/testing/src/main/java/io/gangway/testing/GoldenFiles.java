package io.gangway.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * {@code GoldenFiles} runs golden-file cases: every {@code <case>.in.yaml} in a directory is an
 * input whose first line must be {@code # proves: <what the case shows>}; the function under test
 * turns it into named outputs, compared with {@code <case>.<name>.yaml} next to it. Run the build
 * with {@code -Dgolden.update=true} to rewrite the outputs (then review the diff); never edit them
 * by hand.
 */
public final class GoldenFiles {

  private GoldenFiles() {}

  /** Returns whether outputs are being regenerated. */
  public static boolean updating() {
    return Boolean.getBoolean("golden.update");
  }

  /** Returns one dynamic test per case in {@code dir}, named after the case file. */
  public static Stream<DynamicTest> cases(Path dir, Function<Path, Map<String, String>> translate) {
    List<Path> inputs;
    try (Stream<Path> s = Files.list(dir)) {
      inputs = s.filter(p -> p.getFileName().toString().endsWith(".in.yaml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(inputs).as("golden cases in %s", dir).isNotEmpty();
    return inputs.stream()
        .map(in -> DynamicTest.dynamicTest(caseName(in), in.toUri(), () -> run(in, translate)));
  }

  private static void run(Path in, Function<Path, Map<String, String>> translate)
      throws IOException {
    String first = Files.readAllLines(in, StandardCharsets.UTF_8).stream().findFirst().orElse("");
    assertThat(first)
        .as("first line of %s must say what the case proves", in.getFileName())
        .startsWith("# proves: ");
    Map<String, String> outputs = translate.apply(in);
    String base = caseName(in);
    for (Map.Entry<String, String> e : outputs.entrySet()) {
      Path out = in.resolveSibling(base + "." + e.getKey() + ".yaml");
      if (updating()) {
        Files.writeString(out, e.getValue(), StandardCharsets.UTF_8);
        continue;
      }
      assertThat(out)
          .as("golden output %s is missing; run with -Dgolden.update=true", out.getFileName())
          .exists();
      assertThat(e.getValue())
          .as(
              "%s (regenerate with -Dgolden.update=true if the change is intended)",
              out.getFileName())
          .isEqualTo(Files.readString(out, StandardCharsets.UTF_8));
    }
  }

  /** Returns {@code foo} for {@code foo.in.yaml}. */
  public static String caseName(Path in) {
    String n = in.getFileName().toString();
    return n.substring(0, n.length() - ".in.yaml".length());
  }

  /**
   * Returns the source tree's copy of a test resource directory, so updates land in git rather than
   * in {@code target/}. Tests run with the module directory as the working directory.
   */
  public static Path sourceDir(String relative) {
    return Path.of("src/test/resources").resolve(relative);
  }
}
