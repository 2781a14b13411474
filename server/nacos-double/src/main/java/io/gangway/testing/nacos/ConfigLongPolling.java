package io.gangway.testing.nacos;

import com.sun.net.httpserver.HttpExchange;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code POST /nacos/v1/cs/configs/listener}, as the server's {@code LongPollingService}: the form
 * field {@code Listening-Configs} lists {@code dataId^2group^2md5[^2tenant]^1} entries; changed
 * keys are answered at once, otherwise the request is held for {@code max(min, Long-Pulling-Timeout
 * - 500 ms)} and answered with the first key that changes, or with an empty body on timeout. The
 * answer is the URL-encoded {@code dataId^2group[^2tenant]^1} list. Thread-safe.
 */
final class ConfigLongPolling {

  static final String LISTENING_CONFIGS = "Listening-Configs";
  static final String TIMEOUT_HEADER = "Long-Pulling-Timeout";
  static final String NO_HANGUP_HEADER = "Long-Pulling-Timeout-No-Hangup";
  private static final char WORD = 2;
  private static final char LINE = 1;
  private static final long DELAY_MILLIS = 500;

  /** One listened key: its client MD5 and whether the client sent a blank tenant. */
  private record Listened(String md5, boolean namespaceTransferred) {}

  private record Waiter(
      Map<ConfigStore.Key, Listened> keys, HttpExchange exchange, AtomicBoolean done) {}

  private final ConfigStore store;
  private final ScheduledExecutorService scheduler;
  private final Duration minTimeout;
  private final Set<Waiter> waiters = ConcurrentHashMap.newKeySet();

  ConfigLongPolling(ConfigStore store, ScheduledExecutorService scheduler, Duration minTimeout) {
    this.store = store;
    this.scheduler = scheduler;
    this.minTimeout = minTimeout;
    store.onChange(this::changed);
  }

  void handle(HttpExchange exchange, Map<String, String> params) {
    Map<ConfigStore.Key, Listened> keys;
    try {
      keys = parse(params.getOrDefault(LISTENING_CONFIGS, ""));
    } catch (IllegalArgumentException e) {
      HttpApi.send(exchange, 400, e.getMessage());
      return;
    }
    Map<ConfigStore.Key, Listened> changed = new LinkedHashMap<>();
    keys.forEach(
        (key, listened) -> {
          if (!store.md5(key).equals(listened.md5())) {
            changed.put(key, listened);
          }
        });
    String timeoutHeader = exchange.getRequestHeaders().getFirst(TIMEOUT_HEADER);
    boolean noHangup =
        "true".equalsIgnoreCase(exchange.getRequestHeaders().getFirst(NO_HANGUP_HEADER));
    if (!changed.isEmpty() || noHangup || timeoutHeader == null) {
      respond(exchange, changed);
      return;
    }
    long requested;
    try {
      requested = Long.parseLong(timeoutHeader.trim());
    } catch (NumberFormatException e) {
      HttpApi.send(exchange, 400, "invalid " + TIMEOUT_HEADER + ": " + timeoutHeader);
      return;
    }
    long timeout = Math.max(minTimeout.toMillis(), requested - DELAY_MILLIS);
    Waiter waiter = new Waiter(keys, exchange, new AtomicBoolean());
    waiters.add(waiter);
    var unused = scheduler.schedule(() -> finish(waiter, Map.of()), timeout, TimeUnit.MILLISECONDS);
    // A change between the MD5 comparison and add() must not be lost.
    keys.forEach(
        (key, listened) -> {
          if (!store.md5(key).equals(listened.md5())) {
            finish(waiter, Map.of(key, listened));
          }
        });
  }

  int held() {
    return waiters.size();
  }

  /** Answers every held request with "no change", as a server going down would drop them. */
  void releaseAll() {
    for (Waiter waiter : List.copyOf(waiters)) {
      finish(waiter, Map.of());
    }
  }

  private void changed(ConfigStore.Key key) {
    for (Waiter waiter : List.copyOf(waiters)) {
      Listened listened = waiter.keys().get(key);
      if (listened != null) {
        finish(waiter, Map.of(key, listened));
      }
    }
  }

  private void finish(Waiter waiter, Map<ConfigStore.Key, Listened> changed) {
    if (waiter.done().compareAndSet(false, true)) {
      waiters.remove(waiter);
      respond(waiter.exchange(), changed);
    }
  }

  private static void respond(HttpExchange exchange, Map<ConfigStore.Key, Listened> changed) {
    StringBuilder body = new StringBuilder();
    changed.forEach(
        (key, listened) -> {
          body.append(key.dataId()).append(WORD).append(key.group());
          if (!listened.namespaceTransferred()) {
            body.append(WORD).append(key.namespace());
          }
          body.append(LINE);
        });
    exchange.getResponseHeaders().set("Pragma", "no-cache");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache,no-store");
    HttpApi.send(exchange, 200, URLEncoder.encode(body.toString(), StandardCharsets.UTF_8));
  }

  /** {@code MD5Util.getClientMd5Map}. */
  static Map<ConfigStore.Key, Listened> parse(String configKeys) {
    Map<ConfigStore.Key, Listened> keys = new LinkedHashMap<>();
    List<String> parts = new ArrayList<>(3);
    int start = 0;
    for (int i = 0; i < configKeys.length(); i++) {
      char c = configKeys.charAt(i);
      if (c == WORD) {
        parts.add(configKeys.substring(start, i));
        start = i + 1;
        if (parts.size() > 3) {
          throw new IllegalArgumentException("invalid protocol,too much key");
        }
      } else if (c == LINE) {
        String last = configKeys.substring(start, i);
        start = i + 1;
        if (parts.size() < 2) {
          throw new IllegalArgumentException("invalid protocol,too few key");
        }
        String tenant = parts.size() == 2 ? "" : last;
        String md5 = parts.size() == 2 ? last : parts.get(2);
        keys.put(
            ConfigStore.Key.of(tenant, parts.get(1), parts.get(0)),
            new Listened(md5, tenant.isBlank()));
        parts.clear();
      }
    }
    return keys;
  }
}
