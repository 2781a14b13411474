package io.gangway.registry.consul;

import com.ecwid.consul.v1.Response;
import com.ecwid.consul.v1.health.model.HealthService;
import io.gangway.registry.consul.ConsulApi.ConsulCallException;
import io.gangway.spi.registry.Endpoint;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ServiceWatch} follows one Consul service on its own daemon thread with blocking health
 * queries, so an instance change reaches {@link ConsulRegistry} as soon as Consul commits it.
 *
 * <p>Index handling follows Consul's blocking-query guidance: the index returned by a call is sent
 * with the next one; it is reset to 0 when it goes backwards and clamped to at least 1. After a
 * failed call the index is reset to 0 too, so the first call after recovery answers at once with
 * the full current list (the resync). Failures go to {@link ConsulRegistry#failed} and are retried
 * with capped exponential backoff; {@link #stop} ends the loop (a query in flight ends when the
 * registry closes the HTTP client, or when Consul's wait expires).
 */
final class ServiceWatch implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(ServiceWatch.class);

  private final ConsulRegistry registry;
  private final ConsulApi api;
  private final String service;
  private final String host;
  private final Backoff backoff;
  private final Thread thread;
  private volatile boolean stopped;

  ServiceWatch(
      ConsulRegistry registry,
      ConsulApi api,
      String service,
      String host,
      Backoff backoff,
      String threadName) {
    this.registry = registry;
    this.api = api;
    this.service = service;
    this.host = host;
    this.backoff = backoff;
    this.thread = new Thread(this, threadName);
    this.thread.setDaemon(true);
  }

  String service() {
    return service;
  }

  String host() {
    return host;
  }

  boolean isStopped() {
    return stopped;
  }

  void start() {
    thread.start();
  }

  /** Ends the loop; never publishes afterwards. */
  void stop() {
    stopped = true;
    thread.interrupt();
  }

  /** Waits up to {@code millis} for the thread to end; returns whether it did. */
  boolean join(long millis) throws InterruptedException {
    thread.join(millis);
    return !thread.isAlive();
  }

  @Override
  public void run() {
    long index = 0;
    int failures = 0;
    boolean answered = false;
    while (!stopped) {
      Response<List<HealthService>> answer;
      try {
        answer = api.passingInstances(service, index);
      } catch (ConsulCallException e) {
        if (stopped) {
          return;
        }
        registry.failed(e);
        if (!answered) {
          answered = true;
          registry.firstAnswer(service);
        }
        index = 0;
        if (!sleep(backoff.delay(failures++))) {
          return;
        }
        continue;
      }
      if (ConsulApi.lastAnswerFilteredByAcls()) {
        // A token without node:read sees no instance: a diagnosis, not an empty service.
        registry.aclFiltered("/v1/health/service/" + service, false);
        if (!answered) {
          answered = true;
          registry.firstAnswer(service);
        }
        index = 0;
        if (!sleep(backoff.delay(failures++))) {
          return;
        }
        continue;
      }
      failures = 0;
      long next = answer.getConsulIndex() == null ? 0 : answer.getConsulIndex();
      if (index > 1 && next > 0 && next < index) {
        registry.indexReset(service, index, next);
      }
      if (!answered || next != index) {
        // A successful answer is the registry's truth: an empty list of passing instances is
        // published
        // as authoritative (see ConsulRegistry for why this differs from Higress).
        try {
          List<Endpoint> endpoints = HealthEndpoints.of(answer.getValue());
          registry.publishFrom(this, endpoints);
        } catch (RuntimeException e) {
          log.error("consul watch of {}: cannot publish; retrying", service, e);
          index = 0;
          if (!sleep(backoff.delay(failures++))) {
            return;
          }
          continue;
        }
      }
      if (!answered) {
        answered = true;
        registry.firstAnswer(service);
      }
      index = next < index ? 0 : Math.max(next, 1);
    }
  }

  private boolean sleep(long millis) {
    try {
      Thread.sleep(millis);
      return !stopped;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
