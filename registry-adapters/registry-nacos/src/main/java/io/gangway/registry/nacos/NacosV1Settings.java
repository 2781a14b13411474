package io.gangway.registry.nacos;

import io.gangway.spi.registry.RegistryConfig;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code NacosV1Settings} reads a {@code nacos} McpBridge entry: {@code domain}, {@code port}
 * (8848), {@code nacosNamespaceId} (empty → public), {@code nacosNamespace} (host-name part,
 * defaults to the id), {@code nacosGroups} (required), {@code nacosRefreshInterval} (ns, default 30
 * s, min 10 s) for the service list. Gangway extension: {@code nacosPollInterval} (ns, default 5 s,
 * min 1 s) for instance lists. {@code nacosUsername}/{@code nacosPassword} (inline or from the
 * {@code authSecretName} Secret, which the translator merges in) turn on v1 login; Higress does not
 * authenticate against Nacos 1.x, but a server with auth on answers every listing 403 without it.
 * {@link #toString} never shows the password.
 */
record NacosV1Settings(
    String baseUrl,
    String namespaceId,
    String namespaceName,
    List<String> groups,
    Duration refresh,
    Duration poll,
    @Nullable String username,
    @Nullable String password) {

  static NacosV1Settings of(RegistryConfig c) {
    String domain = c.string("domain", "");
    if (domain == null || domain.isBlank() || domain.contains(",")) {
      throw new IllegalArgumentException(
          "domain: '" + domain + "' (expected: one Nacos server address)");
    }
    int port = c.integer("port", 8848);
    String nsId = c.string("nacosNamespaceId", "");
    nsId = nsId == null || nsId.isEmpty() ? "public" : nsId;
    String nsName = c.string("nacosNamespace", "");
    nsName = nsName == null || nsName.isEmpty() ? nsId : nsName;
    List<String> groups = c.strings("nacosGroups");
    if (groups.isEmpty()) {
      throw new IllegalArgumentException(
          "nacosGroups: [] (expected: at least one group, e.g. [DEFAULT_GROUP])");
    }
    boolean fast = Boolean.getBoolean("gangway.registry.allowFastRefresh");
    Duration refresh =
        nanos(c, "nacosRefreshInterval", 30_000_000_000L, fast ? 0 : 10_000_000_000L);
    Duration poll = nanos(c, "nacosPollInterval", 5_000_000_000L, fast ? 0 : 1_000_000_000L);
    String host = domain.contains(":") ? domain : domain + ":" + port;
    return new NacosV1Settings(
        "http://" + host,
        nsId,
        nsName,
        List.copyOf(groups),
        refresh,
        poll,
        c.string("nacosUsername", null),
        c.string("nacosPassword", null));
  }

  @Override
  public String toString() {
    return "NacosV1Settings["
        + baseUrl
        + ", namespace="
        + namespaceId
        + ", groups="
        + groups
        + ", user="
        + username
        + ", password="
        + (password == null ? "none" : "***")
        + "]";
  }

  /**
   * Returns {@code <service>.<group>.<ns>.nacos} with {@code _}→{@code -} in the suffix (Higress).
   */
  String host(String service, String group) {
    return service + "." + (group + "." + namespaceName + ".nacos").replace('_', '-');
  }

  private static Duration nanos(RegistryConfig c, String field, long fallback, long min) {
    long v;
    try {
      v = Long.parseLong(c.string(field, String.valueOf(fallback)).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          field + ": " + c.string(field, "") + " (expected: nanoseconds)", e);
    }
    return Duration.ofNanos(Math.max(Math.max(v, min), 1_000_000L));
  }
}
