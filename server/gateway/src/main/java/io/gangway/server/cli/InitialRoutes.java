package io.gangway.server.cli;

import io.gangway.server.pipeline.Pipeline;
import io.gangway.server.source.file.FileRouteSource;
import io.gangway.spi.route.RouteListener;
import io.gangway.spi.route.RouteSnapshot;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code InitialRoutes} is the route listener during start-up: it holds the first snapshot for the
 * pipeline's initialisation (waiting for it, bounded), then hands every later snapshot to the
 * pipeline. A snapshot that arrives between the two is not lost: it is forwarded on hand-over. A
 * file source that cannot be read at start-up says so at once, and nothing will change that within
 * the wait: then the wait ends at once (the caller starts from the last good routes, or fails
 * naming why).
 */
final class InitialRoutes implements RouteListener {

  private final Pipeline pipeline;
  private @Nullable RouteSnapshot first;
  private @Nullable RouteSnapshot pending;
  private boolean handedOver;
  private boolean taken;
  private boolean unreadable;

  InitialRoutes(Pipeline pipeline) {
    this.pipeline = pipeline;
  }

  @Override
  public void onRoutes(RouteSnapshot snapshot) {
    synchronized (this) {
      if (!handedOver) {
        if (!taken) {
          first = snapshot;
          notifyAll();
        } else {
          pending = snapshot;
        }
        return;
      }
    }
    pipeline.onRoutes(snapshot);
  }

  @Override
  public void onError(Throwable cause) {
    synchronized (this) {
      if (!taken && cause instanceof FileRouteSource.UnreadableException) {
        unreadable = true;
        notifyAll();
      }
    }
    pipeline.onError(cause);
  }

  /** Waits at most {@code timeout} for the first snapshot; {@code null} when none came. */
  synchronized @Nullable RouteSnapshot await(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (first == null && !unreadable) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    taken = true;
    return first;
  }

  /** From now on, snapshots go to the pipeline; one that arrived meanwhile is forwarded now. */
  void handOver() {
    RouteSnapshot late;
    synchronized (this) {
      handedOver = true;
      late = pending;
      pending = null;
    }
    if (late != null) {
      pipeline.onRoutes(late);
    }
  }
}
