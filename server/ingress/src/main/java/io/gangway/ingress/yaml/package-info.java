/**
 * Located YAML: a thin view over SnakeYAML nodes that keeps the line, column and path of every
 * value, so that each diagnostic names the exact place to fix. Hostile input (alias bombs, deep
 * nesting, huge documents) is bounded by {@link io.gangway.ingress.yaml.YamlLoader}.
 */
@NullMarked
package io.gangway.ingress.yaml;

import org.jspecify.annotations.NullMarked;
