package io.gangway.registry.dns;

import io.gangway.spi.registry.AbstractRegistry;
import io.gangway.spi.registry.Endpoint;
import io.gangway.spi.registry.RegistryConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code DnsRegistry} resolves the {@code domain} names of one {@code dns} registry entry in the
 * control plane (dnsjava) and publishes the union of their A and AAAA addresses, each with the
 * registry {@code port}, as the service {@code <registry name>.dns}.
 *
 * <p><b>Why dnsjava and not Envoy STRICT_DNS.</b> Higress hands such a registry to Envoy as a
 * STRICT_DNS cluster. Gangway resolves in the control plane instead, so that:
 *
 * <ul>
 *   <li>every registry, DNS included, reaches Envoy the same way (EDS), and a DNS change re-sends
 *       only EDS, as a Nacos or ZooKeeper change does;
 *   <li>a failed answer (NXDOMAIN, SERVFAIL, REFUSED, timeout, no address) keeps the last known
 *       addresses of that name and is reported once to the registry status, whereas a STRICT_DNS
 *       cluster replaces its hosts with whatever the resolver returned;
 *   <li>the resolver is visible and testable: it is chosen per registry ({@code dnsServer}, a
 *       Gangway extension; default the system resolver from {@code /etc/resolv.conf}), and the
 *       adapter is tested against a real DNS server.
 * </ul>
 *
 * The cost: Envoy follows DNS only while Gangway runs (it keeps the last EDS when Gangway is gone).
 *
 * <p><b>Refresh.</b> After a successful round the names are resolved again after the smallest
 * record TTL, at least {@link #MIN_REFRESH_SECONDS} and at most {@link #MAX_REFRESH_SECONDS}
 * seconds. After a failure the next round comes after 1, 2, 4, ... seconds, also capped at {@link
 * #MAX_REFRESH_SECONDS}.
 *
 * <p><b>Threading and lifecycle.</b> One daemon thread per registry runs every round; {@link
 * #close()} stops it (an in-flight query is interrupted). Nothing is ever published empty: a name
 * that fails keeps its last addresses; errors go to {@code EndpointListener#onError}, once per
 * outage.
 */
final class DnsRegistry extends AbstractRegistry {

  static final long MIN_REFRESH_SECONDS = 1;
  static final long MAX_REFRESH_SECONDS = 30;

  private static final Logger log = LoggerFactory.getLogger(DnsRegistry.class);

  private final DnsSettings settings;
  private final DnsLookup lookup;
  private final String host;
  private final ScheduledExecutorService executor;

  /** Last good addresses per name; touched by the executor thread only. */
  private final Map<String, List<Endpoint>> lastKnown = new LinkedHashMap<>();

  /** Consecutive failed rounds; executor thread only. */
  private int failures;

  private boolean ready;

  DnsRegistry(RegistryConfig config, DnsSettings settings) {
    super(config);
    this.settings = settings;
    this.lookup = new DnsLookup(settings.servers());
    this.host = config.name() + ".dns";
    this.executor = newScheduler("gangway-dns-" + config.name());
  }

  @Override
  protected void doStart() {
    executor.execute(this::refresh);
  }

  @Override
  protected void doClose() {
    executor.shutdownNow();
  }

  /** Returns the delay before the next round: the TTL clamped, or the failure back-off. */
  static long nextDelaySeconds(long ttlSeconds, int failures) {
    long ttl = Math.max(MIN_REFRESH_SECONDS, Math.min(MAX_REFRESH_SECONDS, ttlSeconds));
    if (failures == 0) {
      return ttl;
    }
    long backoff =
        failures > 5 ? MAX_REFRESH_SECONDS : Math.min(MAX_REFRESH_SECONDS, 1L << (failures - 1));
    return Math.min(ttl, backoff);
  }

  private void refresh() {
    long ttl = MAX_REFRESH_SECONDS;
    @Nullable IOException error = null;
    try {
      for (String domain : settings.domains()) {
        try {
          DnsLookup.Answer answer = lookup.resolve(domain);
          lastKnown.put(
              domain,
              answer.addresses().stream().map(a -> Endpoint.of(a, settings.port())).toList());
          ttl = Math.min(ttl, answer.ttlSeconds());
        } catch (IOException e) {
          if (Thread.currentThread().isInterrupted() || executor.isShutdown()) {
            return;
          }
          error = error == null ? e : error;
        }
      }
      publishAndReport(error);
    } catch (RuntimeException e) {
      log.error("dns registry {}: refresh failed", config().key(), e);
      failures++;
    } finally {
      schedule(nextDelaySeconds(ttl, failures));
    }
  }

  private void publishAndReport(@Nullable IOException error) {
    List<Endpoint> all = new ArrayList<>();
    lastKnown.values().forEach(all::addAll);
    if (!all.isEmpty()) {
      // Never authoritative: DNS cannot tell "no instances" from a broken zone, so no empty list.
      publish(host, all, false);
    }
    if (error != null) {
      if (failures++ == 0) {
        log.warn(
            "dns registry {}: {}; keeping the last known addresses of {}",
            config().key(),
            error.getMessage(),
            host);
      }
      reportError(error);
    } else {
      if (failures > 0) {
        log.info(
            "dns registry {}: resolving again after {} failed rounds", config().key(), failures);
      }
      failures = 0;
      markHealthy();
    }
    if (!ready) {
      ready = true;
      markReady();
    }
  }

  private void schedule(long delaySeconds) {
    try {
      var unused = executor.schedule(this::refresh, delaySeconds, TimeUnit.SECONDS);
    } catch (RejectedExecutionException closed) {
      // close() won the race; nothing to do.
    }
  }
}
