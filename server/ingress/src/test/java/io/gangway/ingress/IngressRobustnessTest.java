package io.gangway.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.gangway.ingress.resource.ParsedDocument;
import io.gangway.model.ClusterSpec;
import io.gangway.model.Destination;
import io.gangway.model.Diagnostic;
import io.gangway.model.Route;
import io.gangway.model.RouteAction;
import io.gangway.model.VirtualHost;
import io.gangway.spi.route.RouteDocument;
import io.gangway.spi.route.SourceRef;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Feeds {@value #DOCUMENTS} random and mutated documents (the golden inputs truncated and mutated
 * at random positions, type swaps, deep nesting, huge strings, anchors and alias bombs, random
 * bytes) to {@link IngressTranslator#parse} and {@link IngressTranslator#translate} with a fixed
 * seed, and checks that nothing escapes, that every batch finishes in time, that no object
 * disappears without an ERROR diagnostic, and that every accepted document translates into a
 * self-consistent model.
 */
class IngressRobustnessTest {

  private static final long SEED = 0x6A6E67776179L;
  private static final int DOCUMENTS = 12_000;
  private static final int BATCH = 400;
  private static final String YAML_CHARS =
      ":-[]{},&*!|>'\"#%@`?\n\t  \\/.0123456789abcdefghijklmnopqrstuvwxyz"
          + "ABCDEFGHIJKLMNOPQRSTUVWXYZ\u0000\u00e9\u4e2d\uFEFF\uFFFD";

  private final IngressTranslator translator = new IngressTranslator(null);
  private final List<String> failures = new ArrayList<>();
  private int rejected;
  private int accepted;

  @Test
  void parseAndTranslate_randomAndMutatedDocuments_neverThrowNeverHangAndExplainEveryRejection()
      throws IOException {
    List<String> seeds = goldenInputs();
    assertThat(seeds).hasSizeGreaterThan(20);
    Random random = new Random(SEED);
    for (int batch = 0; batch < DOCUMENTS / BATCH; batch++) {
      List<String> docs = new ArrayList<>();
      for (int i = 0; i < BATCH; i++) {
        docs.add(generate(random, seeds));
      }
      int first = batch * BATCH;
      assertTimeoutPreemptively(
          Duration.ofSeconds(20),
          () -> {
            for (int i = 0; i < docs.size(); i++) {
              check(first + i, docs.get(i), seeds.get((first + i) % seeds.size()));
            }
          },
          "batch " + batch + " did not finish");
    }
    assertThat(failures).as("failures (first 20)").isEmpty();
    // Both paths must have been exercised for the run to mean anything.
    assertThat(rejected).as("rejected documents").isGreaterThan(DOCUMENTS / 10);
    assertThat(accepted).as("accepted documents").isGreaterThan(DOCUMENTS / 10);
  }

  private void check(int index, String text, String companion) {
    try {
      RouteDocument doc = new RouteDocument(SourceRef.file("fuzz-" + index + ".yaml"), text, "v1");
      ParsedDocument p = translator.parse(doc);
      p.diagnostics().forEach(d -> assertThat(d.toString()).isNotEmpty()); // printing never throws
      if (p.hasErrors()) {
        rejected++;
        for (Diagnostic d : p.diagnostics()) {
          if (d.isError() && d.line() < 1 && !d.message().startsWith("YAML rejected:")) {
            fail(index, text, "error without a line: " + d);
          }
        }
        return;
      }
      accepted++;
      int objects = p.ingresses().size() + p.bridges().size();
      int expected = expectedObjects(text);
      if (objects != expected) {
        fail(
            index,
            text,
            "accepted without errors but "
                + objects
                + " of "
                + expected
                + " Ingress/McpBridge objects came out: "
                + p.diagnostics());
      }
      checkModel(index, text, translator.translate(List.of(p)));
      if (index % 7 == 0) {
        // Merged with an intact document, the result must stay consistent too.
        ParsedDocument other =
            translator.parse(new RouteDocument(SourceRef.file("other.yaml"), companion, "v1"));
        if (!other.hasErrors()) {
          checkModel(index, text, translator.translate(List.of(p, other)));
        }
      }
    } catch (Throwable t) {
      fail(index, text, "escaped: " + t);
    }
  }

  private void checkModel(int index, String text, TranslationResult r) {
    Set<String> clusters =
        r.model().clusters().stream().map(ClusterSpec::name).collect(Collectors.toSet());
    Set<String> hosts = new HashSet<>();
    for (VirtualHost v : r.model().virtualHosts()) {
      if (!hosts.add(v.host()) || v.routes().isEmpty()) {
        fail(index, text, "duplicate or empty virtual host " + v.host());
      }
      Set<String> names = new HashSet<>();
      for (Route route : v.routes()) {
        if (!names.add(route.name())) {
          fail(index, text, "duplicate route name " + route.name());
        }
        if (route.action() instanceof RouteAction.Forward f) {
          int sum = f.destinations().stream().mapToInt(Destination::weight).sum();
          if (sum != 100) {
            fail(index, text, "weights of " + route.name() + " add up to " + sum);
          }
          f.destinations().stream()
              .filter(d -> !clusters.contains(d.cluster()))
              .forEach(
                  d ->
                      fail(
                          index,
                          text,
                          "route " + route.name() + " names missing cluster " + d.cluster()));
        }
      }
    }
  }

  /**
   * Counts the Ingress and McpBridge objects of an accepted text, with an independent YAML reader.
   */
  private static int expectedObjects(String text) {
    int n = 0;
    for (Node root : new Yaml(new LoaderOptions()).composeAll(new StringReader(text))) {
      if (root instanceof MappingNode m) {
        for (NodeTuple t : m.getValue()) {
          if (t.getKeyNode() instanceof ScalarNode k
              && k.getValue().equals("kind")
              && t.getValueNode() instanceof ScalarNode v
              && (v.getValue().equals("Ingress") || v.getValue().equals("McpBridge"))) {
            n++;
          }
        }
      }
    }
    return n;
  }

  private void fail(int index, String text, String what) {
    if (failures.size() < 20) {
      failures.add(
          "#"
              + index
              + ": "
              + what
              + "\n--- input ("
              + text.length()
              + " chars) ---\n"
              + (text.length() > 2000 ? text.substring(0, 2000) + "..." : text));
    }
  }

  private static List<String> goldenInputs() throws IOException {
    try (Stream<Path> s = Files.list(Path.of("src/test/resources/golden"))) {
      List<String> out = new ArrayList<>();
      for (Path p : s.filter(f -> f.toString().endsWith(".in.yaml")).sorted().toList()) {
        out.add(Files.readString(p, StandardCharsets.UTF_8));
      }
      return out;
    }
  }

  // ---- generation
  // --------------------------------------------------------------------------------

  private static String generate(Random r, List<String> seeds) {
    String s = seeds.get(r.nextInt(seeds.size()));
    if (r.nextInt(20) == 0) {
      return randomText(r, 1 + r.nextInt(400));
    }
    int mutations = 1 + r.nextInt(3);
    for (int i = 0; i < mutations; i++) {
      s = mutate(r, s);
    }
    return s;
  }

  private static String mutate(Random r, String s) {
    if (s.isEmpty()) {
      return randomText(r, 20);
    }
    int at = r.nextInt(s.length() + 1);
    return switch (r.nextInt(12)) {
      case 0 -> s.substring(0, at); // truncate
      case 1 -> { // overwrite a few characters
        StringBuilder sb = new StringBuilder(s);
        for (int k = 0, n = 1 + r.nextInt(4); k < n && sb.length() > 0; k++) {
          sb.setCharAt(r.nextInt(sb.length()), YAML_CHARS.charAt(r.nextInt(YAML_CHARS.length())));
        }
        yield sb.toString();
      }
      case 2 -> s.substring(0, at) + randomText(r, 1 + r.nextInt(12)) + s.substring(at);
      case 3 -> lines(r, s);
      case 4 -> typeSwap(r, s);
      case 5 -> s.substring(0, at) + deepNesting(r) + s.substring(at);
      case 6 -> hugeString(r, s);
      case 7 -> anchors(r, s);
      case 8 -> s + "\n---\n" + bomb(r);
      case 9 ->
          s.replace(
                  "Prefix",
                  pick(r, "Exact", "ImplementationSpecific", "prefix", "", "~", "[Prefix]"))
              .replace(
                  "/api",
                  pick(r, "api", "/a?b", "/a//b", "/%2F", "", "/" + "x".repeat(r.nextInt(50))));
      case 10 ->
          s.replace(
              "host: ", "host: " + pick(r, "UPPER.", "*.", "1.2.3.4", "x:80.", "-", "\"\"", "[a]"));
      default ->
          s.replace("% ", pick(r, "%", "%  ", "0% ", "%% ", "-5% ", "1000% "))
              .replace(
                  ".static",
                  pick(r, ".static:0", ".static:65536", ".dns", ".nacos", ":1:2:3", ".static v1"));
    };
  }

  private static String lines(Random r, String s) {
    List<String> ls = new ArrayList<>(List.of(s.split("\n", -1)));
    int i = r.nextInt(ls.size());
    switch (r.nextInt(5)) {
      case 0 -> ls.remove(i);
      case 1 -> ls.add(i, ls.get(i));
      case 2 -> {
        int j = r.nextInt(ls.size());
        String t = ls.get(i);
        ls.set(i, ls.get(j));
        ls.set(j, t);
      }
      case 3 -> ls.set(i, "  " + ls.get(i));
      default -> ls.set(i, ls.get(i).replaceFirst("^ {1,2}", ""));
    }
    return String.join("\n", ls);
  }

  /** Replaces the value after a random ": " with a value of another YAML type. */
  private static String typeSwap(Random r, String s) {
    int from = s.indexOf(": ", r.nextInt(s.length()));
    if (from < 0) {
      return s;
    }
    int end = from + 2;
    while (end < s.length()
        && s.charAt(end) != '\n'
        && s.charAt(end) != ','
        && s.charAt(end) != '}') {
      end++;
    }
    String value =
        pick(
            r,
            "[a, b]",
            "{a: b}",
            "~",
            "123",
            "-1",
            "true",
            "\"\"",
            "[]",
            "{}",
            "!!binary AAAA",
            "[[[]]]",
            "99999999999999999999",
            "0x1F",
            "1e400",
            "'\\u0000'",
            "|\n  x\n");
    return s.substring(0, from + 2) + value + s.substring(end);
  }

  private static String deepNesting(Random r) {
    int depth = 1 + r.nextInt(3000);
    return r.nextBoolean()
        ? "[".repeat(depth) + "]".repeat(depth)
        : "{a: ".repeat(depth) + "1" + "}".repeat(depth);
  }

  private static String hugeString(Random r, String s) {
    String big = "a".repeat(5_000 + r.nextInt(60_000));
    return switch (r.nextInt(3)) {
      case 0 -> s.replaceFirst("host: [^\\n,}]+", "host: " + big + ".example.com");
      case 1 -> s.replaceFirst("path: [^\\n,}]+", "path: /" + big);
      default -> s.replaceFirst("name: [^\\n,}]+", "name: " + big);
    };
  }

  private static String anchors(Random r, String s) {
    int colon = s.indexOf(": ", r.nextInt(s.length()));
    if (colon < 0) {
      return s;
    }
    String withAnchor = s.substring(0, colon + 2) + "&anc " + s.substring(colon + 2);
    int later = withAnchor.indexOf(": ", Math.min(withAnchor.length(), colon + 8 + r.nextInt(200)));
    if (later < 0) {
      return withAnchor + "\nextra: *anc\n";
    }
    return withAnchor.substring(0, later + 2)
        + "*anc"
        + (r.nextBoolean() ? "\n" : " ")
        + withAnchor.substring(later + 2);
  }

  private static String bomb(Random r) {
    int levels = 3 + r.nextInt(25);
    int width = 2 + r.nextInt(4);
    StringBuilder sb =
        new StringBuilder(
            "apiVersion: networking.higress.io/v1\nkind: McpBridge\n"
                + "metadata: {name: default}\nx0: &x0 [lol]\n");
    for (int i = 1; i <= levels; i++) {
      sb.append("x").append(i).append(": &x").append(i).append(" [");
      for (int j = 0; j < width; j++) {
        sb.append(j == 0 ? "" : ", ").append("*x").append(i - 1);
      }
      sb.append("]\n");
    }
    sb.append("spec: {registries: [{type: static, name: b, port: 80, domain: '1.1.1.1:1', p: *x")
        .append(levels)
        .append("}]}\n");
    return sb.toString();
  }

  private static String randomText(Random r, int length) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < length; i++) {
      sb.append(
          r.nextInt(4) == 0
              ? (char) r.nextInt(0x3000)
              : YAML_CHARS.charAt(r.nextInt(YAML_CHARS.length())));
    }
    return sb.toString();
  }

  private static String pick(Random r, String... options) {
    return options[r.nextInt(options.length)];
  }
}
