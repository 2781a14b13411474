/**
 * Registry SPI: one {@link io.gangway.spi.registry.RegistryProvider} per McpBridge registry {@code
 * type}, discovered with {@link java.util.ServiceLoader}. Adapters only fetch and publish; {@link
 * io.gangway.spi.registry.AbstractRegistry} does the bookkeeping.
 */
@NullMarked
package io.gangway.spi.registry;

import org.jspecify.annotations.NullMarked;
