package io.gangway.testing.nacos;

import com.alibaba.nacos.api.NacosFactory;
import com.alibaba.nacos.api.PropertyKeyConst;
import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.exception.NacosException;
import com.alibaba.nacos.api.naming.NamingService;
import com.alibaba.nacos.api.naming.pojo.Instance;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@link NacosServerHandle} over a real Nacos 2.x/3.x server, for the opt-in mode of the test
 * suites ({@code NACOS_ADDR}, plus {@code NACOS_USERNAME}/{@code NACOS_PASSWORD} when auth is on).
 * "Someone else" is a second set of real nacos-clients: one config client per namespace, one naming
 * client per registered instance (a client owns at most one registration per service). {@link
 * #close()} removes the configs it published and shuts its clients down. It cannot stop the server.
 * Needs nacos-client on the classpath (an optional dependency of this module).
 */
public final class RealServerHandle implements NacosServerHandle {

  private static final long READ_TIMEOUT_MS = 3000;

  private final String serverAddr;
  private final Properties credentials;
  private final Map<String, ConfigService> configs = new HashMap<>();
  private final Map<String, NamingService> registrars = new HashMap<>();
  private final Set<List<String>> published = new LinkedHashSet<>();

  /**
   * Creates a handle for {@code serverAddr} with nacos-client auth {@code credentials} (may be
   * empty).
   */
  public RealServerHandle(String serverAddr, Properties credentials) {
    this.serverAddr = serverAddr;
    this.credentials = credentials;
  }

  /**
   * Returns a handle from {@code NACOS_ADDR} and, when the username is set, {@code
   * NACOS_USERNAME}/{@code NACOS_PASSWORD}.
   */
  public static RealServerHandle fromEnvironment() {
    return fromEnvironment(System.getenv());
  }

  /** As {@link #fromEnvironment()}, from {@code env} (for tests of the selection). */
  public static RealServerHandle fromEnvironment(Map<String, String> env) {
    String addr = env.get("NACOS_ADDR");
    if (addr == null || addr.isBlank()) {
      throw new IllegalStateException("NACOS_ADDR is not set");
    }
    Properties credentials = new Properties();
    String username = env.get("NACOS_USERNAME");
    if (username != null && !username.isBlank()) {
      credentials.setProperty(PropertyKeyConst.USERNAME, username);
      credentials.setProperty(PropertyKeyConst.PASSWORD, env.getOrDefault("NACOS_PASSWORD", ""));
    }
    return new RealServerHandle(addr.trim(), credentials);
  }

  @Override
  public String serverAddr() {
    return serverAddr;
  }

  @Override
  public Properties credentials() {
    return credentials;
  }

  @Override
  public void publishConfig(String namespace, String group, String dataId, String content)
      throws NacosException {
    published.add(List.of(namespace, group, dataId));
    if (!config(namespace).publishConfig(dataId, group, content)) {
      throw new IllegalStateException(
          "publish of "
              + namespace
              + "/"
              + group
              + "/"
              + dataId
              + " to "
              + serverAddr
              + " was refused");
    }
  }

  @Override
  public boolean removeConfig(String namespace, String group, String dataId) throws NacosException {
    published.remove(List.of(namespace, group, dataId));
    return config(namespace).removeConfig(dataId, group);
  }

  @Override
  public @Nullable String configMd5(String namespace, String group, String dataId)
      throws NacosException {
    String content = config(namespace).getConfig(dataId, group, READ_TIMEOUT_MS);
    return content == null ? null : md5(content);
  }

  @Override
  public void registerInstance(
      String namespace,
      String group,
      String service,
      String ip,
      int port,
      Map<String, String> metadata)
      throws NacosException {
    NamingService registrar = NacosFactory.createNamingService(properties(namespace));
    registrars.put(
        String.join("|", namespace, group, service, ip, Integer.toString(port)), registrar);
    Instance instance = new Instance();
    instance.setIp(ip);
    instance.setPort(port);
    instance.setMetadata(metadata);
    registrar.registerInstance(service, group, instance);
  }

  @Override
  public void deregisterInstance(
      String namespace, String group, String service, String ip, int port) throws NacosException {
    NamingService registrar =
        registrars.remove(String.join("|", namespace, group, service, ip, Integer.toString(port)));
    if (registrar != null) {
      registrar.deregisterInstance(service, group, ip, port);
      registrar.shutDown();
    }
  }

  @Override
  public boolean supportsOutage() {
    return false;
  }

  @Override
  public void stop() {
    throw new UnsupportedOperationException("a real Nacos server is not stopped by tests");
  }

  @Override
  public void restart() {
    throw new UnsupportedOperationException("a real Nacos server is not stopped by tests");
  }

  @Override
  public void close() {
    for (List<String> key : published) {
      try {
        config(key.get(0)).removeConfig(key.get(2), key.get(1));
      } catch (NacosException | RuntimeException e) {
        System.err.println("cannot remove test config " + key + " from " + serverAddr + ": " + e);
      }
    }
    published.clear();
    configs.values().forEach(RealServerHandle::shutDown);
    registrars.values().forEach(RealServerHandle::shutDown);
    configs.clear();
    registrars.clear();
  }

  @Override
  public String toString() {
    return "RealServerHandle[" + serverAddr + "]";
  }

  private ConfigService config(String namespace) throws NacosException {
    ConfigService client = configs.get(namespace);
    if (client == null) {
      client = NacosFactory.createConfigService(properties(namespace));
      configs.put(namespace, client);
    }
    return client;
  }

  private Properties properties(String namespace) {
    Properties p = new Properties();
    p.putAll(credentials);
    p.setProperty(PropertyKeyConst.SERVER_ADDR, serverAddr);
    if (!namespace.isBlank()) {
      p.setProperty(PropertyKeyConst.NAMESPACE, namespace);
    }
    return p;
  }

  private static void shutDown(Object client) {
    try {
      if (client instanceof ConfigService c) {
        c.shutDown();
      } else if (client instanceof NamingService n) {
        n.shutDown();
      }
    } catch (NacosException | RuntimeException e) {
      // best effort: the test is over
    }
  }

  private static String md5(String content) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("MD5").digest(content.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
