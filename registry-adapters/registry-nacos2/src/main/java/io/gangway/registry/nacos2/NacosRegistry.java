package io.gangway.registry.nacos2;

import com.alibaba.nacos.api.exception.NacosException;
import com.alibaba.nacos.api.naming.NamingFactory;
import com.alibaba.nacos.api.naming.NamingService;
import com.alibaba.nacos.api.naming.listener.Event;
import com.alibaba.nacos.api.naming.listener.EventListener;
import com.alibaba.nacos.api.naming.listener.NamingEvent;
import com.alibaba.nacos.api.naming.pojo.Instance;
import com.alibaba.nacos.api.naming.pojo.ListView;
import io.gangway.spi.registry.AbstractRegistry;
import io.gangway.spi.registry.Endpoint;
import io.gangway.spi.registry.RegistryConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code NacosRegistry} lists the services of each configured group every refresh interval and
 * subscribes to each one; instance changes then arrive by server push (gRPC) and are published as
 * the service's complete instance list. Healthy, enabled instances only; weight {@code round(w)},
 * at least 1; services named {@code consumers:*} are skipped, as in Higress.
 *
 * <p>Threading: one daemon thread lists and (re)connects; pushes arrive on nacos-client threads and
 * go straight to {@link #publish}. A push is the server's authoritative answer, so an empty push
 * (the last instance deregistered) does empty the service; an outage produces no push, and listing
 * errors only report, so endpoints are kept. A service that disappears from the listing is removed.
 */
final class NacosRegistry extends AbstractRegistry {

  private static final Logger log = LoggerFactory.getLogger(NacosRegistry.class);
  private static final int PAGE = 50;

  private final NacosSettings settings;
  private final ScheduledExecutorService executor;
  private final Map<String, EventListener> subscribed = new ConcurrentHashMap<>();
  private @Nullable NamingService naming;
  private boolean listedOnce;
  private boolean recovering;

  NacosRegistry(RegistryConfig config, NacosSettings settings) {
    super(config);
    this.settings = settings;
    this.executor = newScheduler("gangway-registry-" + config.key());
  }

  @Override
  protected void doStart() {
    var unused =
        executor.scheduleWithFixedDelay(
            this::refresh, 0, settings.refresh().toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  protected void doClose() {
    executor.shutdownNow();
    NamingService n = naming;
    if (n != null) {
      try {
        n.shutDown();
      } catch (NacosException | RuntimeException e) {
        log.debug("closing nacos naming client", e);
      }
    }
  }

  /** Lists every group and reconciles subscriptions; any failure keeps everything as it is. */
  private void refresh() {
    try {
      NamingService n = naming;
      if (n == null) {
        n = NamingFactory.createNamingService(settings.clientProperties());
        naming = n;
      }
      // A disconnected client answers some reads from its cache; only list from a connected one.
      if (!"UP".equals(n.getServerStatus())) {
        throw new IllegalStateException(
            "not connected (client status " + n.getServerStatus() + ")");
      }
      Set<String> seen = new HashSet<>();
      for (String group : settings.groups()) {
        for (String service : list(n, group)) {
          if (service.isEmpty() || service.startsWith("consumers:")) {
            continue;
          }
          String key = group + "/" + service;
          seen.add(key);
          if (!subscribed.containsKey(key)) {
            EventListener l = event -> onEvent(service, group, event);
            n.subscribe(service, group, l);
            // The subscription's push arrives later, and "ready" (below) must mean every listed
            // service
            // is published (the manager then drops inherited endpoints): read the subscribed cache
            // now.
            publishInstances(service, group, n.getAllInstances(service, group, true));
            subscribed.put(key, l);
          }
        }
      }
      for (String key : new ArrayList<>(subscribed.keySet())) {
        if (!seen.contains(key)) {
          String group = key.substring(0, key.indexOf('/'));
          String service = key.substring(key.indexOf('/') + 1);
          n.unsubscribe(service, group, subscribed.remove(key));
          remove(settings.host(service, group));
        }
      }
      if (recovering) {
        resync(n);
        recovering = false;
      }
      markHealthy();
      if (!listedOnce) {
        listedOnce = true;
        markReady();
      }
    } catch (NacosException | RuntimeException e) {
      recovering = true;
      reportError(
          new IllegalStateException("nacos " + settings.serverAddr() + ": " + e.getMessage(), e));
    }
  }

  /**
   * After an outage, asks the server for every subscribed service's instances instead of trusting
   * the client to replay what changed meanwhile; publishes each answer.
   */
  private void resync(NamingService n) throws NacosException {
    for (String key : subscribed.keySet()) {
      String group = key.substring(0, key.indexOf('/'));
      String service = key.substring(key.indexOf('/') + 1);
      publishInstances(service, group, n.getAllInstances(service, group, false));
    }
  }

  private static List<String> list(NamingService n, String group) throws NacosException {
    List<String> out = new ArrayList<>();
    for (int page = 1; ; page++) {
      ListView<String> view = n.getServicesOfServer(page, PAGE, group);
      out.addAll(view.getData());
      if (view.getData().size() < PAGE || out.size() >= view.getCount()) {
        return out;
      }
    }
  }

  private void onEvent(String service, String group, Event event) {
    if (event instanceof NamingEvent e) {
      publishInstances(service, group, e.getInstances());
    }
  }

  private void publishInstances(String service, String group, List<Instance> instances) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (Instance i : instances) {
      if (!i.isHealthy() || !i.isEnabled() || i.getPort() < 1 || i.getPort() > 65535) {
        continue;
      }
      int weight = (int) Math.max(1, Math.round(i.getWeight()));
      endpoints.add(new Endpoint(i.getIp(), i.getPort(), weight, i.getMetadata()));
    }
    publish(settings.host(service, group), endpoints, true);
  }
}
