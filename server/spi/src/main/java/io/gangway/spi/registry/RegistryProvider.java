package io.gangway.spi.registry;

/**
 * {@code RegistryProvider} creates {@link Registry} instances for one McpBridge registry {@code
 * type}. Providers are found with {@link java.util.ServiceLoader} ({@code META-INF/services}); they
 * must not throw while being loaded. When two providers claim a type, the higher {@link
 * #priority()} wins.
 */
public interface RegistryProvider {

  /** Returns the McpBridge {@code type} this provider handles, e.g. {@code static}. */
  String type();

  /** Returns whether the provider can run here (its libraries are present). */
  default boolean isAvailable() {
    return true;
  }

  /** Returns the priority among providers of the same type, 0-10; higher wins. */
  default int priority() {
    return 5;
  }

  /**
   * Validates {@code config} and creates a registry for it. Throws {@link IllegalArgumentException}
   * with a message naming the field for invalid configuration; nothing is started yet.
   */
  Registry create(RegistryConfig config);
}
