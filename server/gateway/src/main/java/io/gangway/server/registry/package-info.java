/**
 * Registries → endpoints: runs one watcher per McpBridge registry entry and merges what they
 * discover.
 */
@NullMarked
package io.gangway.server.registry;

import org.jspecify.annotations.NullMarked;
