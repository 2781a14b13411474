package io.gangway.server.config;

import java.io.StringReader;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * {@code YamlPositions} finds the 1-based line and column of a field, given its path, in YAML text.
 */
final class YamlPositions {

  private YamlPositions() {}

  /**
   * Returns {line, column} of the last path element, or {@code null}: the key's position when
   * {@code atKey} (an unknown field), else its value's (a bad value).
   */
  static int @Nullable [] find(String text, List<Object> path, boolean atKey) {
    Node node;
    try {
      node = new Yaml(new LoaderOptions()).compose(new StringReader(text));
    } catch (RuntimeException e) {
      return null;
    }
    Node at = node;
    for (Object step : path) {
      if (at instanceof MappingNode m && step instanceof String key) {
        Node next = null;
        for (NodeTuple t : m.getValue()) {
          if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
            next = t.getValueNode();
            at = t.getKeyNode();
          }
        }
        if (next == null) {
          return at == null
              ? null
              : new int[] {at.getStartMark().getLine() + 1, at.getStartMark().getColumn() + 1};
        }
        if (step == path.get(path.size() - 1)) {
          at = atKey ? at : next;
          break;
        }
        at = next;
      } else if (at instanceof SequenceNode s
          && step instanceof Integer i
          && i >= 0
          && i < s.getValue().size()) {
        at = s.getValue().get(i);
      } else {
        break;
      }
    }
    return at == null
        ? null
        : new int[] {at.getStartMark().getLine() + 1, at.getStartMark().getColumn() + 1};
  }
}
