package io.gangway.server.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code RequestLoop} sends one request after another through Envoy on a background thread and
 * counts the answers from a backend (200 with an {@code x-echo-backend} header) against everything
 * else, for the tests that measure how many requests an outage, restart or edit fails.
 */
final class RequestLoop implements AutoCloseable {

  final AtomicInteger ok = new AtomicInteger();
  final AtomicInteger failed = new AtomicInteger();

  /** Filled by tests that read Envoy's health-check counter after the loop; -1 when unread. */
  long healthCheckFailures = -1;

  private final List<String> failures = new ArrayList<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  RequestLoop(int port, String host) {
    thread =
        new Thread(
            () -> {
              while (running.get()) {
                String outcome;
                try {
                  RawHttp.Response r = RawHttp.get(port, host, "/");
                  outcome =
                      r.status() == 200 && !r.backend().isEmpty() ? "" : "status " + r.status();
                } catch (Exception e) {
                  outcome = e.toString();
                }
                if (outcome.isEmpty()) {
                  ok.incrementAndGet();
                } else {
                  failed.incrementAndGet();
                  synchronized (failures) {
                    if (failures.size() < 5) {
                      failures.add(outcome);
                    }
                  }
                }
                try {
                  Thread.sleep(5);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "request-loop");
    thread.setDaemon(true);
    thread.start();
  }

  int total() {
    return ok.get() + failed.get();
  }

  /** Returns e.g. {@code 0 of 812 requests failed}, with the first failures. */
  String summary() {
    synchronized (failures) {
      return failed.get()
          + " of "
          + total()
          + " requests failed"
          + (failures.isEmpty() ? "" : " " + failures);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(10_000);
  }
}
