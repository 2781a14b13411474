/**
 * The {@code dns} registry: the McpBridge {@code domain} names are resolved (A and AAAA) by the
 * control plane with dnsjava and served to Envoy as EDS under the host {@code <registry name>.dns}.
 */
@NullMarked
package io.gangway.registry.dns;

import org.jspecify.annotations.NullMarked;
