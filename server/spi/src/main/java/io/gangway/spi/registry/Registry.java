package io.gangway.spi.registry;

/**
 * {@code Registry} is a running watcher of one McpBridge registry entry.
 *
 * <p>Lifecycle: created by {@link RegistryProvider#create}, started once with {@link #start},
 * closed once the entry is removed or changed (a changed entry gets a new instance). {@link #close}
 * is idempotent and must release threads and connections. Errors never throw out of the registry's
 * threads; they are reported with {@link EndpointListener#onError} and the last known endpoints
 * stay.
 */
public interface Registry extends AutoCloseable {

  /** Starts discovery; results flow to {@code listener}. */
  void start(EndpointListener listener);

  /** Stops discovery; idempotent. */
  @Override
  void close();
}
