package io.gangway.ingress.yaml;

import io.gangway.model.Severity;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * {@code YamlLoader} splits a multi-document YAML text into located nodes. It composes nodes only
 * (no object construction, so no type tags are honoured) and bounds hostile input: at most 50
 * aliases per collection, nesting depth 64, 4 MiB of text. A syntax error rejects the whole text,
 * with its line.
 *
 * <p>Composed documents are then checked as a whole, because aliases make a small text a large (or
 * cyclic) graph that later code would expand: a recursive alias, an alias expansion of more than
 * {@value #MAX_ALIAS_EXPANSION} extra nodes (a "billion laughs" bomb) or a nesting deeper than
 * {@value #MAX_EXPANDED_DEPTH} through aliases rejects the text; a duplicate mapping key is an
 * error at the second key (YAML forbids it, and reading only the first would hide a user's
 * mistake).
 */
public final class YamlLoader {

  private static final int MAX_CODE_POINTS = 4 * 1024 * 1024;

  /** How many nodes aliases may add to a document beyond the nodes written in it. */
  static final int MAX_ALIAS_EXPANSION = 100_000;

  /** How deep a document may nest once aliases are followed. */
  static final int MAX_EXPANDED_DEPTH = 256;

  private YamlLoader() {}

  /**
   * Returns the non-empty documents of {@code text}; on a syntax error, records it and returns
   * none.
   */
  public static List<Node> load(String text, Diagnostics d) {
    List<Node> out = new ArrayList<>();
    return compose(text, d, (n, i) -> out.add(n)) ? out : List.of();
  }

  /**
   * Returns the non-empty documents of {@code text} as located values, {@code doc[<i>]}; on a
   * syntax error, records it and returns none. Each document is copied (see {@link YNode}) as soon
   * as it is composed and checked, so SnakeYAML's much larger nodes of only one document are alive
   * at a time.
   */
  public static List<YNode> documents(String text, Diagnostics d) {
    List<YNode> out = new ArrayList<>();
    Map<String, String> strings = new java.util.HashMap<>();
    return compose(text, d, (n, i) -> out.add(YNode.root(n, "doc[" + i + "]", strings)))
        ? out
        : List.of();
  }

  /**
   * Composes and checks each document, then hands it on; returns false when the text is rejected.
   */
  private static boolean compose(
      String text, Diagnostics d, java.util.function.ObjIntConsumer<Node> each) {
    LoaderOptions options = new LoaderOptions();
    options.setMaxAliasesForCollections(50);
    options.setNestingDepthLimit(64);
    options.setCodePointLimit(MAX_CODE_POINTS);
    options.setAllowRecursiveKeys(false);
    int index = 0;
    try {
      for (Node n : new Yaml(options).composeAll(new StringReader(text))) {
        if (n == null) {
          continue;
        }
        if (!new Check(d).document(n, rootLabel(n, index))) {
          return false;
        }
        each.accept(n, index++);
      }
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      int line = m == null ? 0 : m.getLine() + 1;
      int col = m == null ? 0 : m.getColumn() + 1;
      String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
      String context = e.getContext() != null ? e.getContext() + ": " : "";
      d.add(Severity.ERROR, line, col, "", "YAML syntax error: " + context + problem);
      return false;
    } catch (YAMLException | IllegalStateException | StackOverflowError e) {
      d.add(
          Severity.ERROR,
          0,
          0,
          "",
          "YAML rejected: " + YNode.abbreviate(String.valueOf(e.getMessage())));
      return false;
    }
    return true;
  }

  /** Names a root the way the resource parser does ({@code Kind/name}), for diagnostic paths. */
  private static String rootLabel(Node root, int index) {
    String kind = scalar(root, "kind");
    Node meta = value(root, "metadata");
    String name = meta == null ? null : scalar(meta, "name");
    return kind == null ? "doc[" + index + "]" : kind + "/" + (name == null ? "?" : name);
  }

  private static @Nullable Node value(Node map, String key) {
    if (map instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
          return t.getValueNode();
        }
      }
    }
    return null;
  }

  private static @Nullable String scalar(Node map, String key) {
    return value(map, key) instanceof ScalarNode s ? s.getValue() : null;
  }

  /**
   * One walk over a document graph: each distinct node is visited once, so aliases cost nothing.
   */
  private static final class Check {
    private final Diagnostics d;

    /** Per distinct node: {expanded node count (saturating), expanded height}. */
    private final IdentityHashMap<Node, long[]> expanded = new IdentityHashMap<>();

    private final Set<Node> inProgress = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean fatal;

    Check(Diagnostics d) {
      this.d = d;
    }

    /** Returns whether the document may be used (duplicate keys are errors but not fatal). */
    boolean document(Node root, String label) {
      // Anchors precede their aliases in document order, which is the walk's order, so the walk
      // itself only recurses as deep as the text nests (bounded by the loader); the expanded height
      // is computed, never recursed into.
      long[] r = visit(root, label);
      if (fatal) {
        return false;
      }
      if (r[1] > MAX_EXPANDED_DEPTH) {
        error(
            root,
            label,
            "YAML nesting deeper than "
                + MAX_EXPANDED_DEPTH
                + " levels once aliases are"
                + " followed ("
                + r[1]
                + ")");
        return false;
      }
      if (r[0] - expanded.size() > MAX_ALIAS_EXPANSION) {
        error(
            root,
            label,
            "YAML aliases expand this document to "
                + r[0]
                + " nodes from "
                + expanded.size()
                + " written ones (expected: at most "
                + MAX_ALIAS_EXPANSION
                + " more); an alias bomb is rejected");
        return false;
      }
      return true;
    }

    private long[] visit(Node n, String path) {
      long[] known = expanded.get(n);
      if (known != null) {
        return known;
      }
      if (fatal) {
        return new long[] {1, 1};
      }
      if (!inProgress.add(n)) {
        error(n, path, "recursive YAML alias: the node anchored here contains itself");
        fatal = true;
        return new long[] {1, 1};
      }
      long size = 1;
      long height = 0;
      if (n instanceof SequenceNode s) {
        List<Node> items = s.getValue();
        for (int i = 0; i < items.size() && !fatal; i++) {
          long[] c = visit(items.get(i), path + "[" + i + "]");
          size = add(size, c[0]);
          height = Math.max(height, c[1]);
        }
      } else if (n instanceof MappingNode m) {
        Set<String> keys = new HashSet<>();
        for (NodeTuple t : m.getValue()) {
          if (fatal) {
            break;
          }
          String key = t.getKeyNode() instanceof ScalarNode k ? k.getValue() : null;
          if (key != null && !keys.add(key)) {
            error(
                t.getKeyNode(), path + "." + key, "duplicate key '" + YNode.abbreviate(key) + "'");
          }
          long[] k = visit(t.getKeyNode(), path);
          long[] v = visit(t.getValueNode(), path + "." + key);
          size = add(add(size, k[0]), v[0]);
          height = Math.max(height, Math.max(k[1], v[1]));
        }
      }
      inProgress.remove(n);
      long[] result = {size, height + 1};
      expanded.put(n, result);
      return result;
    }

    private static long add(long a, long b) {
      long s = a + b;
      return s < 0 ? Long.MAX_VALUE : s;
    }

    private void error(Node at, String path, String message) {
      d.add(
          Severity.ERROR,
          at.getStartMark().getLine() + 1,
          at.getStartMark().getColumn() + 1,
          path,
          message);
    }
  }
}
