package io.gangway.registry.nacos2;

import io.gangway.spi.registry.RegistryConfig;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

/**
 * {@code NacosSettings} reads an McpBridge {@code nacos2}/{@code nacos3} entry with Higress's field
 * names and defaults: {@code domain}/{@code port} (8848), {@code nacosNamespaceId} (empty →
 * public), {@code nacosNamespace} (the name used in host names, defaults to the id), {@code
 * nacosGroups} (required: Higress discovers nothing without it, Gangway says so), {@code
 * nacosRefreshInterval} in nanoseconds (default 30 s, minimum 10 s), {@code nacosAccessKey}/{@code
 * nacosSecretKey}. Gangway extension: {@code nacosUsername}/{@code nacosPassword} inline.
 */
record NacosSettings(
    String serverAddr,
    String namespaceId,
    String namespaceName,
    List<String> groups,
    Duration refresh,
    Properties clientProperties) {

  static final Duration MIN_REFRESH = Duration.ofSeconds(10);

  static NacosSettings of(RegistryConfig c) {
    String domain = c.string("domain", "");
    if (domain == null || domain.isBlank()) {
      throw new IllegalArgumentException(
          "domain: '' (expected: the Nacos server address, e.g. 127.0.0.1)");
    }
    int port = c.integer("port", 8848);
    String serverAddr = domain.contains(":") || domain.contains(",") ? domain : domain + ":" + port;
    String nsId = c.string("nacosNamespaceId", "");
    if (nsId == null || nsId.isEmpty()) {
      nsId = "public";
    }
    String nsName = c.string("nacosNamespace", "");
    if (nsName == null || nsName.isEmpty()) {
      nsName = nsId;
    }
    List<String> groups = c.strings("nacosGroups");
    if (groups.isEmpty()) {
      throw new IllegalArgumentException(
          "nacosGroups: [] (expected: at least one group, e.g. [DEFAULT_GROUP])");
    }
    long nanos;
    try {
      nanos = Long.parseLong(c.string("nacosRefreshInterval", "30000000000").trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "nacosRefreshInterval: "
              + c.string("nacosRefreshInterval", "")
              + " (expected: nanoseconds, e.g. 30000000000)",
          e);
    }
    Duration refresh = Duration.ofNanos(nanos);
    if (refresh.compareTo(MIN_REFRESH) < 0
        && !Boolean.getBoolean("gangway.registry.allowFastRefresh")) {
      refresh =
          MIN_REFRESH; // Higress clamps to 10 s; tests may allow faster with the system property.
    }
    Properties p = new Properties();
    p.setProperty("serverAddr", serverAddr);
    p.setProperty("namespace", nsId);
    set(p, "accessKey", c.string("nacosAccessKey", null));
    set(p, "secretKey", c.string("nacosSecretKey", null));
    set(p, "username", c.string("nacosUsername", null));
    set(p, "password", c.string("nacosPassword", null));
    // Never start from a possibly stale on-disk cache of another process; the registry is the
    // truth.
    p.setProperty("namingLoadCacheAtStart", "false");
    return new NacosSettings(serverAddr, nsId, nsName, List.copyOf(groups), refresh, p);
  }

  /**
   * Returns the host Higress generates: {@code <service>.<group>.<ns>.nacos}, {@code _}→{@code -}
   * in the suffix.
   */
  String host(String service, String group) {
    return service + "." + (group + "." + namespaceName + ".nacos").replace('_', '-');
  }

  private static void set(Properties p, String key, String value) {
    if (value != null && !value.isEmpty()) {
      p.setProperty(key, value);
    }
  }

  @Override
  public String toString() {
    return "NacosSettings[" + serverAddr + ", ns=" + namespaceId + ", groups=" + groups + "]";
  }
}
