/**
 * Stage 2 of the pipeline: route documents (Ingress + McpBridge YAML) → the immutable model.
 * Parsing and validation live in {@code resource}, located YAML in {@code yaml}; this package
 * merges objects into one routing table with Higress's ordering and conflict rules.
 */
@NullMarked
package io.gangway.ingress;

import org.jspecify.annotations.NullMarked;
