/**
 * The {@code static} registry: fixed {@code ip:port} lists from the McpBridge, host {@code
 * <name>.static}.
 */
@NullMarked
package io.gangway.registry.fixed;

import org.jspecify.annotations.NullMarked;
