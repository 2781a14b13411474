package io.gangway.ingress.yaml;

import io.gangway.model.Severity;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;

/**
 * {@code YamlLoader} splits a multi-document YAML text into located nodes. It composes nodes only (no
 * object construction, so no type tags are honoured) and bounds hostile input: at most 50 aliases per
 * collection, nesting depth 64, 4 MiB of text. A syntax error rejects the whole text, with its line.
 */
public final class YamlLoader {

  private static final int MAX_CODE_POINTS = 4 * 1024 * 1024;

  private YamlLoader() {}

  /** Returns the non-empty documents of {@code text}; on a syntax error, records it and returns none. */
  public static List<Node> load(String text, Diagnostics d) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(50);
    options.setNestingDepthLimit(64);
    options.setCodePointLimit(MAX_CODE_POINTS);
    options.setAllowRecursiveKeys(false);
    List<Node> out = new ArrayList<>();
    try {
      for (Node n : new Yaml(options).composeAll(new StringReader(text))) {
        if (n != null) {
          out.add(n);
        }
      }
      return out;
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      int line = m == null ? 0 : m.getLine() + 1;
      int col = m == null ? 0 : m.getColumn() + 1;
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      String context = e.getContext() != null ? e.getContext() + ": " : "";
      d.add(Severity.ERROR, line, col, "", "YAML syntax error: " + context + problem);
      return List.of();
    } catch (YAMLException | IllegalStateException | StackOverflowError e) {
      d.add(Severity.ERROR, 0, 0, "", "YAML rejected: " + YNode.abbreviate(String.valueOf(e.getMessage())));
      return List.of();
    }
  }
}
