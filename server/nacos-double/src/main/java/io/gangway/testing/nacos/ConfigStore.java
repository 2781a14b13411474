package io.gangway.testing.nacos;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The config center's state: items keyed by (namespace, group, dataId), their MD5, and which gRPC
 * connections listen to which key. Change observers run on the caller's thread after the state lock
 * is released, only when the MD5 actually changed (the server's dump step likewise publishes no
 * {@code LocalDataChangeEvent} for an unchanged MD5). Thread-safe.
 */
final class ConfigStore {

  /** Nacos 3.x's default namespace id; a blank tenant means this namespace. */
  static final String DEFAULT_NAMESPACE = "public";

  /** {@code ConfigCacheService.getContentMd5} of a missing config ({@code Constants.NULL}). */
  static final String MISSING_MD5 = "";

  record Key(String namespace, String group, String dataId) {
    Key {
      requireNonNull(namespace, "namespace");
      requireNonNull(group, "group");
      requireNonNull(dataId, "dataId");
    }

    /** As the server's {@code NamespaceUtil.processNamespaceParameter}: blank becomes public. */
    static Key of(@Nullable String tenant, String group, String dataId) {
      return new Key(ConfigStore.namespace(tenant), group, dataId);
    }
  }

  record Item(String content, String md5, String type, long lastModified) {}

  enum Outcome {
    OK,
    CAS_CONFLICT
  }

  private final Object lock = new Object();
  private final Map<Key, Item> items = new HashMap<>(); // guarded by lock
  // key -> connection id -> whether the client sent a blank tenant ("namespace transfer")
  private final Map<Key, Map<String, Boolean>> listeners = new HashMap<>(); // guarded by lock
  private final List<Consumer<Key>> observers = new CopyOnWriteArrayList<>();

  static String namespace(@Nullable String tenant) {
    return tenant == null || tenant.isBlank() ? DEFAULT_NAMESPACE : tenant.trim();
  }

  static String md5Hex(String content) {
    try {
      byte[] digest =
          MessageDigest.getInstance("MD5").digest(content.getBytes(StandardCharsets.UTF_8));
      StringBuilder hex = new StringBuilder(32);
      for (byte b : digest) {
        hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is a required JDK algorithm", e);
    }
  }

  void onChange(Consumer<Key> observer) {
    observers.add(observer);
  }

  @Nullable Item get(Key key) {
    synchronized (lock) {
      return items.get(key);
    }
  }

  String md5(Key key) {
    Item item = get(key);
    return item == null ? MISSING_MD5 : item.md5();
  }

  /**
   * Publishes {@code content}. With a non-blank {@code casMd5} an existing item must still have
   * that MD5 (the server's {@code insertOrUpdateCas}); a missing item is simply inserted.
   */
  Outcome publish(Key key, String content, String type, @Nullable String casMd5) {
    String md5 = md5Hex(content);
    boolean changed;
    synchronized (lock) {
      Item old = items.get(key);
      if (casMd5 != null && !casMd5.isBlank() && old != null && !old.md5().equals(casMd5)) {
        return Outcome.CAS_CONFLICT;
      }
      items.put(key, new Item(content, md5, type, System.currentTimeMillis()));
      changed = old == null || !old.md5().equals(md5);
    }
    if (changed) {
      fire(key);
    }
    return Outcome.OK;
  }

  /** Removes the item; returns whether it existed. Removing a missing item succeeds silently. */
  boolean remove(Key key) {
    boolean existed;
    synchronized (lock) {
      existed = items.remove(key) != null;
    }
    if (existed) {
      fire(key);
    }
    return existed;
  }

  void listen(Key key, String connectionId, boolean namespaceTransferred) {
    synchronized (lock) {
      listeners.computeIfAbsent(key, k -> new HashMap<>()).put(connectionId, namespaceTransferred);
    }
  }

  void unlisten(Key key, String connectionId) {
    synchronized (lock) {
      Map<String, Boolean> byConnection = listeners.get(key);
      if (byConnection != null) {
        byConnection.remove(connectionId);
        if (byConnection.isEmpty()) {
          listeners.remove(key);
        }
      }
    }
  }

  /** Drops every listen of a closed connection ({@code clearContextForConnectionId}). */
  void dropConnection(String connectionId) {
    synchronized (lock) {
      listeners.values().forEach(byConnection -> byConnection.remove(connectionId));
      listeners.values().removeIf(Map::isEmpty);
    }
  }

  /** Connection id to namespace-transferred flag, for every connection listening to {@code key}. */
  Map<String, Boolean> listeners(Key key) {
    synchronized (lock) {
      return Map.copyOf(listeners.getOrDefault(key, Map.of()));
    }
  }

  private void fire(Key key) {
    for (Consumer<Key> observer : observers) {
      observer.accept(key);
    }
  }
}
