package io.gangway.route.nacos;

import static java.util.Objects.requireNonNull;

import com.alibaba.nacos.api.config.ConfigFactory;
import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.config.listener.Listener;
import com.alibaba.nacos.api.exception.NacosException;
import io.gangway.spi.route.RouteDocument;
import io.gangway.spi.route.RouteListener;
import io.gangway.spi.route.RouteSnapshot;
import io.gangway.spi.route.RouteSource;
import io.gangway.spi.route.SourceRef;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code NacosRouteSource} publishes route documents held in the Nacos config center: each dataId
 * is one {@link RouteDocument} whose version is the Nacos md5, so diagnostics and status name the
 * exact {@code namespace/group/dataId}.
 *
 * <p>Changes arrive by server push (a listener per dataId; per index dataId in the higress layout)
 * and are applied from the pushed content; a full re-read every {@code resync} is the safety net. A
 * snapshot is only published after a complete read: a failed or partial read publishes nothing, so
 * a Nacos outage, a slow server or an empty answer during start-up never empties the routes. Before
 * the first complete read, the pipeline serves its persisted last good documents. Thread-safe: all
 * state changes run on the source's own thread.
 */
public final class NacosRouteSource implements RouteSource {

  private static final Logger log = LoggerFactory.getLogger(NacosRouteSource.class);

  private final NacosSourceSettings settings;
  private final ScheduledExecutorService executor =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "gangway-nacos-source");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, Listener> listeners = new ConcurrentHashMap<>();
  private final AtomicBoolean syncPending = new AtomicBoolean();
  private final Map<String, String> status = new ConcurrentHashMap<>();
  private @Nullable ConfigService config;
  private @Nullable RouteListener listener;
  private @Nullable Map<SourceRef, RouteDocument> current;
  private boolean failing;

  /** Creates a source; nothing connects before {@link #start}. */
  public NacosRouteSource(NacosSourceSettings settings) {
    this.settings = requireNonNull(settings, "settings");
    status.put("state", "starting");
  }

  /**
   * Connects and tries a first complete read, waiting at most the request timeout; publishes it
   * when it succeeds. When Nacos cannot be read yet, returns without publishing and keeps retrying.
   */
  @Override
  public void start(RouteListener listener) throws NacosException, InterruptedException {
    this.listener = requireNonNull(listener, "listener");
    this.config = ConfigFactory.createConfigService(settings.clientProperties());
    CountDownLatch first = new CountDownLatch(1);
    executor.execute(
        () -> {
          sync();
          first.countDown();
        });
    long resync = settings.resync().toMillis();
    var unused = executor.scheduleWithFixedDelay(this::sync, resync, resync, TimeUnit.MILLISECONDS);
    first.await(settings.timeout().toMillis() * 2, TimeUnit.MILLISECONDS);
  }

  @Override
  public String describe() {
    return settings.describe();
  }

  /** Returns the connection state and the live md5 of every dataId, for {@code /status}. */
  @Override
  public Map<String, String> status() {
    return new TreeMap<>(status);
  }

  @Override
  public void close() {
    executor.shutdownNow();
    ConfigService c = config;
    if (c != null) {
      try {
        c.shutDown();
      } catch (NacosException | RuntimeException e) {
        log.debug("closing nacos config client", e);
      }
    }
  }

  /** Reads everything; publishes only a complete read that differs from the current one. */
  private void sync() {
    syncPending.set(false);
    ConfigService c = config;
    if (c == null) {
      return;
    }
    try {
      // While disconnected, nacos-client answers reads from its local snapshot files (or with
      // nothing)
      // instead of failing, which would look like content; read only from a connected client.
      String server = c.getServerStatus();
      if (!"UP".equals(server)) {
        throw new IllegalStateException("not connected (client status " + server + ")");
      }
      Map<SourceRef, RouteDocument> next =
          settings.layout().equals("simple") ? readSimple(c) : readHigress(c);
      if (failing) {
        failing = false;
        log.info("Nacos {} is readable again", settings.serverAddr());
      }
      status.put("state", "connected");
      publishIfChanged(next);
    } catch (NacosException | GeneralSecurityException | RuntimeException e) {
      status.put("state", "unreachable: " + e.getMessage());
      if (!failing) {
        failing = true;
        log.warn(
            "cannot read routes from Nacos {}; the current routes stay live: {}",
            settings.serverAddr(),
            e.getMessage());
        RouteListener l = listener;
        if (l != null) {
          l.onError(e);
        }
      }
    }
  }

  private Map<SourceRef, RouteDocument> readSimple(ConfigService c) throws NacosException {
    Map<SourceRef, RouteDocument> out = new LinkedHashMap<>();
    for (String dataId : settings.dataIds()) {
      watch(c, settings.group(), dataId, false);
      String content = c.getConfig(dataId, settings.group(), settings.timeout().toMillis());
      if (content != null) {
        out.put(ref(settings.group(), dataId), document(settings.group(), dataId, content));
      }
    }
    return out;
  }

  private Map<SourceRef, RouteDocument> readHigress(ConfigService c)
      throws NacosException, GeneralSecurityException {
    Map<SourceRef, RouteDocument> out = new LinkedHashMap<>();
    for (String plural : HigressLayout.PLURALS) {
      String index = HigressLayout.indexDataId(plural);
      watch(c, HigressLayout.INDEX_GROUP, index, true);
      String names = c.getConfig(index, HigressLayout.INDEX_GROUP, settings.timeout().toMillis());
      if (names == null) {
        continue;
      }
      for (HigressLayout.Item item : HigressLayout.parseIndex(names)) {
        watch(c, item.group(), item.dataId(), false);
        String content = c.getConfig(item.dataId(), item.group(), settings.timeout().toMillis());
        if (content == null) {
          continue; // listed but not (yet) written: higress-standalone writes the index last
        }
        out.put(
            ref(item.group(), item.dataId()),
            document(item.group(), item.dataId(), decrypt(plural, content)));
      }
    }
    return out;
  }

  private String decrypt(String plural, String content) throws GeneralSecurityException {
    byte[] key = settings.encryptionKey();
    if (!content.startsWith("enc|")) {
      return content;
    }
    if (key == null) {
      throw new GeneralSecurityException(
          plural
              + " holds encrypted data (enc|...) but routes.nacos.encryptionKeyFile"
              + " is not set");
    }
    return HigressLayout.decrypt(content, key);
  }

  /** Registers a push listener once per dataId; an index change triggers a full re-read. */
  private void watch(ConfigService c, String group, String dataId, boolean index)
      throws NacosException {
    String key = group + "/" + dataId;
    if (listeners.containsKey(key)) {
      return;
    }
    Listener l =
        new Listener() {
          @Override
          public Executor getExecutor() {
            return executor;
          }

          @Override
          public void receiveConfigInfo(String content) {
            if (index) {
              requestSync(); // objects added or removed: re-read the listing
            } else {
              applyPush(group, dataId, content);
            }
          }
        };
    c.addListener(dataId, group, l);
    listeners.put(key, l);
  }

  private void applyPush(String group, String dataId, @Nullable String content) {
    Map<SourceRef, RouteDocument> cur = current;
    if (cur == null) {
      requestSync();
      return;
    }
    Map<SourceRef, RouteDocument> next = new LinkedHashMap<>(cur);
    if (content == null || content.isEmpty()) {
      next.remove(ref(group, dataId));
    } else {
      try {
        String plain = settings.layout().equals("higress") ? decrypt(dataId, content) : content;
        next.put(ref(group, dataId), document(group, dataId, plain));
      } catch (GeneralSecurityException | RuntimeException e) {
        log.warn("cannot decrypt {}/{}; re-reading: {}", group, dataId, e.getMessage());
        requestSync();
        return;
      }
    }
    publishIfChanged(next);
  }

  private void requestSync() {
    if (syncPending.compareAndSet(false, true)) {
      executor.execute(this::sync);
    }
  }

  private void publishIfChanged(Map<SourceRef, RouteDocument> next) {
    if (next.equals(current)) {
      return;
    }
    current = next;
    status.keySet().removeIf(k -> k.startsWith("dataId "));
    next.values().forEach(d -> status.put("dataId " + d.source().location(), d.version()));
    RouteListener l = listener;
    if (l != null) {
      l.onRoutes(new RouteSnapshot(List.copyOf(next.values())));
    }
  }

  private SourceRef ref(String group, String dataId) {
    return new SourceRef("nacos", settings.namespace() + "/" + group + "/" + dataId);
  }

  private RouteDocument document(String group, String dataId, String content) {
    return new RouteDocument(ref(group, dataId), content, md5(content));
  }

  /** Returns the md5 hex of {@code content}, the version Nacos itself reports. */
  public static String md5(String content) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("MD5").digest(content.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
