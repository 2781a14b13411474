package io.gangway.testing.nacos;

import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Deadline-bounded waiting: tests wait for an outcome, never for a fixed time. */
final class Await {

  private Await() {}

  /** Takes elements until one matches; fails after {@code timeout}. */
  static <T> T next(
      BlockingQueue<T> queue, Duration timeout, String what, Predicate<? super T> match)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      T element = left <= 0 ? null : queue.poll(left, TimeUnit.NANOSECONDS);
      if (element == null) {
        return fail("timed out after %s waiting for %s", timeout, what);
      }
      if (match.test(element)) {
        return element;
      }
    }
  }

  /** Polls {@code condition} every 20 ms until it holds; fails after {@code timeout}. */
  static void until(Duration timeout, String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.call()) {
          return;
        }
      } catch (Exception e) {
        last = e;
      }
      Thread.sleep(20);
    }
    fail("timed out after " + timeout + " waiting for " + what, last);
  }
}
