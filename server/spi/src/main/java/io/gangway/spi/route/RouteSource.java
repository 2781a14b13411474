package io.gangway.spi.route;

/**
 * {@code RouteSource} watches a place that holds route documents (a directory, a Nacos namespace)
 * and publishes every change as a full {@link RouteSnapshot}.
 *
 * <p>Lifecycle: {@link #start} is called once; it publishes the initial snapshot before returning
 * when the source can be read, and afterwards publishes on every change from its own thread. {@link
 * #close} is idempotent and stops all watching. Errors are reported through {@link
 * RouteListener#onError}; implementations never publish an empty snapshot because a read failed.
 */
public interface RouteSource extends AutoCloseable {

  /** Starts watching and publishes the initial snapshot. */
  void start(RouteListener listener) throws Exception;

  /** Describes the source for logs and status, e.g. {@code file:/opt/gangway/conf/routes}. */
  String describe();

  /**
   * Returns the source's own state for operators (connection, live versions); never credentials.
   */
  default java.util.Map<String, String> status() {
    return java.util.Map.of();
  }

  /** Stops watching; idempotent. */
  @Override
  void close();
}
