package io.gangway.ingress.yaml;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
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
 *
 * <p>Values are a compact copy of what SnakeYAML composed (text and position only, repeated short
 * strings shared), because parsed resources keep their {@code YNode}s for later diagnostics:
 * SnakeYAML's nodes, with two marks, three comment lists and the reader's buffer each, cost about
 * 40 times the text (a 20,000-Ingress file held 270 MiB), the copy a fraction of that.
 */
public final class YNode {

  private final @Nullable Value node;
  // The path is built on demand from the parent (a parsed route set keeps hundreds of thousands of
  // nodes for diagnostics; their paths, as strings, were a large part of the heap). A root holds
  // its
  // whole path in key and has no parent; a child holds a field name in key, or an item index.
  private final @Nullable YNode parent;
  private final String key;
  private final int index;
  private final int line;
  private final int column;

  /** A composed value: its 1-based position, and its text or children. */
  private sealed interface Value permits Scalar, Null, Mapping, Sequence {
    int line();

    int column();
  }

  /** A scalar other than YAML's null. */
  private record Scalar(String value, int line, int column) implements Value {}

  /** YAML's null ({@code ~}, {@code null}, nothing); its text is kept for messages. */
  private record Null(String value, int line, int column) implements Value {}

  /**
   * A mapping, keys and values in document order (duplicates kept; the loader reports them).
   * Arrays, not lists: a parsed route set holds hundreds of thousands of mappings.
   */
  @SuppressWarnings("ArrayRecordComponent") // private, never exposed, never compared
  private record Mapping(Value[] keys, Value[] values, int line, int column) implements Value {}

  @SuppressWarnings("ArrayRecordComponent") // private, never exposed, never compared
  private record Sequence(Value[] items, int line, int column) implements Value {}

  private YNode(
      @Nullable Value node, @Nullable YNode parent, String key, int index, int line, int column) {
    this.node = node;
    this.parent = parent;
    this.key = key;
    this.index = index;
    this.line = line;
    this.column = column;
  }

  /** A root, or a node renamed by {@link #withPath}: {@code path} is its whole path. */
  private static YNode named(@Nullable Value node, String path, int line, int column) {
    return new YNode(node, null, path, -1, line, column);
  }

  /** Wraps a root node (copied; see the class comment). */
  public static YNode root(Node node, String path) {
    return root(node, path, new HashMap<>());
  }

  /**
   * Wraps a root node, sharing repeated short strings through {@code strings} (one map per text).
   */
  static YNode root(Node node, String path, Map<String, String> strings) {
    Value v = new Copier(strings).copy(node);
    return named(v, path, v.line(), v.column());
  }

  /** Copies a composed graph once per distinct node, so aliases stay shared and cost nothing. */
  private static final class Copier {
    private final Map<String, String> strings;
    private final IdentityHashMap<Node, Value> done = new IdentityHashMap<>();

    Copier(Map<String, String> strings) {
      this.strings = strings;
    }

    Value copy(Node n) {
      Value known = done.get(n);
      if (known != null) {
        return known;
      }
      int l = n.getStartMark().getLine() + 1;
      int c = n.getStartMark().getColumn() + 1;
      Value v;
      if (n instanceof MappingNode m) {
        List<NodeTuple> tuples = m.getValue();
        Value[] keys = new Value[tuples.size()];
        Value[] values = new Value[tuples.size()];
        for (int i = 0; i < keys.length; i++) {
          keys[i] = copy(tuples.get(i).getKeyNode());
          values[i] = copy(tuples.get(i).getValueNode());
        }
        v = new Mapping(keys, values, l, c);
      } else if (n instanceof SequenceNode s) {
        List<Node> nodes = s.getValue();
        Value[] items = new Value[nodes.size()];
        for (int i = 0; i < items.length; i++) {
          items[i] = copy(nodes.get(i));
        }
        v = new Sequence(items, l, c);
      } else {
        String text = ((ScalarNode) n).getValue();
        if (text.length() <= 64) {
          text = strings.computeIfAbsent(text, t -> t);
        }
        v = n.getTag().equals(Tag.NULL) ? new Null(text, l, c) : new Scalar(text, l, c);
      }
      done.put(n, v);
      return v;
    }
  }

  /** Returns the path of this value, e.g. {@code Ingress/demo.spec.rules[0].host}. */
  public String path() {
    if (parent == null) {
      return key;
    }
    StringBuilder b = new StringBuilder();
    appendPath(b);
    return b.toString();
  }

  private void appendPath(StringBuilder b) {
    if (parent == null) {
      b.append(key);
      return;
    }
    parent.appendPath(b);
    if (index >= 0) {
      b.append('[').append(index).append(']');
    } else {
      b.append('.').append(key);
    }
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
    return node == null || node instanceof Null;
  }

  /** Returns whether the value is a mapping. */
  public boolean isMap() {
    return node instanceof Mapping;
  }

  /** Returns whether the value is a sequence. */
  public boolean isList() {
    return node instanceof Sequence;
  }

  /** Returns a copy of this node with another path, for messages about a renamed root. */
  public YNode withPath(String newPath) {
    return named(node, newPath, line, column);
  }

  /** Returns the field {@code key} of a mapping; missing (and positioned here) when absent. */
  public YNode get(String key) {
    if (node instanceof Mapping m) {
      for (int i = 0; i < m.keys().length; i++) {
        if (m.keys()[i] instanceof Scalar k && k.value().equals(key)) {
          return field(m.values()[i], k.value());
        }
      }
    }
    return new YNode(null, this, key, -1, line, column);
  }

  /**
   * Returns the entries of a mapping in document order. A non-mapping records an error; of
   * duplicate keys the first is returned ({@link YamlLoader} has already reported every duplicate
   * key as an error, whichever accessor reads the mapping).
   */
  public Map<String, YNode> entries(Diagnostics d) {
    Map<String, YNode> out = new LinkedHashMap<>();
    if (isMissing()) {
      return out;
    }
    if (!(node instanceof Mapping m)) {
      d.error(this, "expected a mapping, found " + kind());
      return out;
    }
    for (int i = 0; i < m.keys().length; i++) {
      if (!(m.keys()[i] instanceof Scalar k)) {
        Value key = m.keys()[i];
        d.error(
            new YNode(key, parent, this.key, index, key.line(), key.column()),
            "mapping keys must be strings");
        continue;
      }
      if (!out.containsKey(k.value())) {
        out.put(k.value(), field(m.values()[i], k.value()));
      }
    }
    return out;
  }

  /**
   * {@code Field} is one entry of a mapping.
   *
   * @param name the key's text
   * @param key the key itself: located at the key, with the field's path (for messages about the
   *     key)
   * @param value the value
   */
  public record Field(String name, YNode key, YNode value) {}

  /**
   * Returns the entries of a mapping in document order, duplicates included; none for anything
   * else. Records nothing: keys that are not strings are skipped ({@link #entries} reports them).
   */
  public List<Field> fields() {
    List<Field> out = new ArrayList<>();
    if (node instanceof Mapping m) {
      for (int i = 0; i < m.keys().length; i++) {
        if (m.keys()[i] instanceof Scalar k) {
          out.add(new Field(k.value(), field(k, k.value()), field(m.values()[i], k.value())));
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
    if (!(node instanceof Sequence s)) {
      d.error(this, "expected a list, found " + kind());
      return out;
    }
    Value[] values = s.items();
    for (int i = 0; i < values.length; i++) {
      Value v = values[i];
      out.add(new YNode(v, this, "", i, v.line(), v.column()));
    }
    return out;
  }

  /** Returns the scalar text, or {@code null} when missing; a non-scalar records an error. */
  public @Nullable String text(Diagnostics d) {
    if (isMissing()) {
      return null;
    }
    if (!(node instanceof Scalar s)) {
      d.error(this, "expected a string, found " + kind());
      return null;
    }
    return s.value();
  }

  /**
   * Returns the scalar as an int, or {@code fallback} when missing or invalid (invalid records an
   * error).
   */
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
    if (node instanceof Scalar s) {
      return s.value();
    }
    if (node instanceof Sequence) {
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
    if (node instanceof Mapping) {
      return "a mapping";
    }
    if (node instanceof Sequence) {
      return "a list";
    }
    return "'" + abbreviate(((Scalar) node).value()) + "'";
  }

  /** Shortens user text quoted in messages, so a huge string cannot flood logs. */
  public static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  /** The value of this mapping's field {@code name} (or its key, for messages about the key). */
  private YNode field(Value n, String name) {
    return new YNode(n, this, name, -1, n.line(), n.column());
  }
}
