package io.gangway.spi.route;

/**
 * {@code RouteListener} receives route snapshots from a {@link RouteSource}. Calls for one source
 * are serialised; an implementation must return quickly (the pipeline only queues the snapshot).
 */
@FunctionalInterface
public interface RouteListener {

  /** Receives the full current set of documents of the source. */
  void onRoutes(RouteSnapshot snapshot);

  /**
   * Reports that the source cannot currently be read (file system error, config center outage). The
   * pipeline keeps serving what it has; this only feeds status and logs.
   */
  default void onError(Throwable cause) {}
}
