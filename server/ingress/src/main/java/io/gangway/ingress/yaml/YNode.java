package io.gangway.ingress.yaml;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * {@code YNode} is a YAML value with its position and path. A missing field is a {@code YNode} too
 * ({@link #isMissing()}), positioned at its parent, so callers can chain {@code get("a").get("b")}
 * and still report a useful location. Accessors that meet the wrong type record a diagnostic and
 * return an empty value; they never throw.
 */
public final class YNode {

  private final @Nullable Node node;
  private final String path;
  private final int line;
  private final int column;

  private YNode(@Nullable Node node, String path, int line, int column) {
    this.node = node;
    this.path = path;
    this.line = line;
    this.column = column;
  }

  /** Wraps a root node. */
  public static YNode root(Node node, String path) {
    return new YNode(node, path, node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1);
  }

  /** Returns the path of this value, e.g. {@code Ingress/demo.spec.rules[0].host}. */
  public String path() {
    return path;
  }

  /** Returns the 1-based line of the value (of its parent when missing). */
  public int line() {
    return line;
  }

  /** Returns the 1-based column of the value (of its parent when missing). */
  public int column() {
    return column;
  }

  /** Returns whether the field is absent or explicitly {@code null}. */
  public boolean isMissing() {
    return node == null || node.getTag().equals(Tag.NULL);
  }

  /** Returns whether the value is a mapping. */
  public boolean isMap() {
    return node instanceof MappingNode;
  }

  /** Returns whether the value is a sequence. */
  public boolean isList() {
    return node instanceof SequenceNode;
  }

  /** Returns a copy of this node with another path, for messages about a renamed root. */
  public YNode withPath(String newPath) {
    return new YNode(node, newPath, line, column);
  }

  /** Returns the field {@code key} of a mapping; missing (and positioned here) when absent. */
  public YNode get(String key) {
    if (node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
          return child(t.getValueNode(), path + "." + key);
        }
      }
    }
    return new YNode(null, path + "." + key, line, column);
  }

  /**
   * Returns the entries of a mapping in document order. A non-mapping records an error; of duplicate
   * keys the first is returned ({@link YamlLoader} has already reported every duplicate key as an
   * error, whichever accessor reads the mapping).
   */
  public Map<String, YNode> entries(Diagnostics d) {
    Map<String, YNode> out = new LinkedHashMap<>();
    if (isMissing()) {
      return out;
    }
    if (!(node instanceof MappingNode m)) {
      d.error(this, "expected a mapping, found " + kind());
      return out;
    }
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        d.error(child(t.getKeyNode(), path), "mapping keys must be strings");
        continue;
      }
      out.putIfAbsent(k.getValue(), child(t.getValueNode(), path + "." + k.getValue()));
    }
    return out;
  }

  /**
   * {@code Field} is one entry of a mapping.
   *
   * @param name the key's text
   * @param key the key itself: located at the key, with the field's path (for messages about the key)
   * @param value the value
   */
  public record Field(String name, YNode key, YNode value) {}

  /**
   * Returns the entries of a mapping in document order, duplicates included; none for anything else.
   * Records nothing: keys that are not strings are skipped ({@link #entries} reports them).
   */
  public List<Field> fields() {
    List<Field> out = new ArrayList<>();
    if (node instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k) {
          String p = path + "." + k.getValue();
          out.add(new Field(k.getValue(), child(k, p), child(t.getValueNode(), p)));
        }
      }
    }
    return out;
  }

  /** Returns the items of a sequence; a non-sequence records an error and yields none. */
  public List<YNode> items(Diagnostics d) {
    List<YNode> out = new ArrayList<>();
    if (isMissing()) {
      return out;
    }
    if (!(node instanceof SequenceNode s)) {
      d.error(this, "expected a list, found " + kind());
      return out;
    }
    List<Node> values = s.getValue();
    for (int i = 0; i < values.size(); i++) {
      out.add(child(values.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  /** Returns the scalar text, or {@code null} when missing; a non-scalar records an error. */
  public @Nullable String text(Diagnostics d) {
    if (isMissing()) {
      return null;
    }
    if (!(node instanceof ScalarNode s)) {
      d.error(this, "expected a string, found " + kind());
      return null;
    }
    return s.getValue();
  }

  /** Returns the scalar as an int, or {@code fallback} when missing or invalid (invalid records an error). */
  public int integer(Diagnostics d, int fallback) {
    String t = text(d);
    if (t == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(t.trim());
    } catch (NumberFormatException e) {
      d.error(this, "expected an integer, found '" + abbreviate(t) + "'");
      return fallback;
    }
  }

  /**
   * Converts the value to plain Java objects (String, List, Map) for pass-through settings such as
   * McpBridge registry fields. Scalars stay strings; nesting is bounded by the loader.
   */
  public @Nullable Object toPlain(Diagnostics d) {
    if (isMissing()) {
      return null;
    }
    if (node instanceof ScalarNode s) {
      return s.getValue();
    }
    if (node instanceof SequenceNode) {
      List<Object> out = new ArrayList<>();
      for (YNode item : items(d)) {
        Object v = item.toPlain(d);
        if (v != null) {
          out.add(v);
        }
      }
      return out;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, YNode> e : entries(d).entrySet()) {
      Object v = e.getValue().toPlain(d);
      if (v != null) {
        out.put(e.getKey(), v);
      }
    }
    return out;
  }

  /** Returns a short description of the value's YAML kind for messages. */
  public String kind() {
    if (isMissing()) {
      return "nothing";
    }
    if (node instanceof MappingNode) {
      return "a mapping";
    }
    if (node instanceof SequenceNode) {
      return "a list";
    }
    return "'" + abbreviate(((ScalarNode) node).getValue()) + "'";
  }

  /** Shortens user text quoted in messages, so a huge string cannot flood logs. */
  public static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  private YNode child(Node n, String childPath) {
    return new YNode(n, childPath, n.getStartMark().getLine() + 1, n.getStartMark().getColumn() + 1);
  }
}
