package io.gangway.route.nacos;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * {@code NacosSourceSettings} says where route documents live in Nacos.
 *
 * @param serverAddr {@code host:port[,host:port...]} of the Nacos servers (main port; gRPC is
 *     +1000)
 * @param namespace the namespace id ({@code public} for the default namespace)
 * @param layout {@code simple}: the listed {@code dataIds} in {@code group}; {@code higress}: the
 *     higress-standalone layout (objects as {@code <plural>.<name>}, found through the {@code
 *     <plural>.__names__} index dataIds in group {@code DEFAULT_GROUP})
 * @param group the group of the simple layout
 * @param dataIds the dataIds of the simple layout
 * @param username Nacos auth user, or {@code null}
 * @param password Nacos auth password, or {@code null}
 * @param accessKey AK/SK auth, or {@code null}
 * @param secretKey AK/SK auth, or {@code null}
 * @param encryptionKey the higress-standalone data encryption key for {@code enc|} Secrets, or
 *     {@code null}
 * @param resync full re-read interval, a safety net besides push notifications
 * @param timeout per-request timeout
 */
@SuppressWarnings(
    "ArrayRecordComponent") // settings are built once and never compared; the key is not logged
public record NacosSourceSettings(
    String serverAddr,
    String namespace,
    String layout,
    String group,
    List<String> dataIds,
    @Nullable String username,
    @Nullable String password,
    @Nullable String accessKey,
    @Nullable String secretKey,
    byte @Nullable [] encryptionKey,
    Duration resync,
    Duration timeout) {

  /** Validates the settings; messages name the {@code routes.nacos} field. */
  public NacosSourceSettings {
    requireNonNull(serverAddr, "serverAddr");
    requireNonNull(namespace, "namespace");
    requireNonNull(layout, "layout");
    requireNonNull(group, "group");
    dataIds = List.copyOf(dataIds);
    if (serverAddr.isBlank()) {
      throw new IllegalArgumentException(
          "routes.nacos.serverAddr is required (e.g. 127.0.0.1:8848)");
    }
    if (!layout.equals("simple") && !layout.equals("higress")) {
      throw new IllegalArgumentException(
          "routes.nacos.layout: " + layout + " (expected: simple or higress)");
    }
    if (layout.equals("simple") && dataIds.isEmpty()) {
      throw new IllegalArgumentException(
          "routes.nacos.dataIds: [] (expected: at least one dataId for the simple layout)");
    }
    if (encryptionKey != null
        && encryptionKey.length != 16
        && encryptionKey.length != 24
        && encryptionKey.length != 32) {
      throw new IllegalArgumentException(
          "routes.nacos.encryptionKeyFile: "
              + encryptionKey.length
              + " bytes (expected: 16, 24 or 32)");
    }
  }

  /**
   * The largest gRPC message the nacos-client accepts from the server: a config query answer
   * carries the whole document. The client's default (10 MiB) is smaller than a route document of
   * ~70,000 paths; a document above it was never delivered, and the client dropped its connection
   * on each try and reported the server unreachable. 256 MiB is far above any document Gangway can
   * translate with its default heap.
   */
  static final int MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

  /** Returns the nacos-client properties (credentials included; never logged). */
  Properties clientProperties() {
    Properties p = new Properties();
    p.setProperty("serverAddr", serverAddr);
    p.setProperty("namespace", namespace);
    p.setProperty(
        "nacos.remote.client.grpc.maxinbound.message.size", Integer.toString(MAX_MESSAGE_BYTES));
    set(p, "username", username);
    set(p, "password", password);
    set(p, "accessKey", accessKey);
    set(p, "secretKey", secretKey);
    return p;
  }

  /** Describes the source without credentials. */
  String describe() {
    return "nacos://"
        + serverAddr
        + "/"
        + namespace
        + (layout.equals("simple") ? "/" + group + "/" + dataIds : " (higress layout)");
  }

  private static void set(Properties p, String key, @Nullable String value) {
    if (value != null && !value.isEmpty()) {
      p.setProperty(key, value);
    }
  }

  @Override
  public String toString() {
    return "NacosSourceSettings[" + describe() + "]";
  }
}
