/**
 * Typed views of the Kubernetes-style objects Gangway reads (Ingress, McpBridge, TLS Secret), each
 * parsed from located YAML with every problem recorded as a diagnostic. No routing decisions are
 * made here.
 */
@NullMarked
package io.gangway.ingress.resource;

import org.jspecify.annotations.NullMarked;
