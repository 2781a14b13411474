package io.gangway.route.nacos;

import com.alibaba.nacos.api.NacosFactory;
import com.alibaba.nacos.api.PropertyKeyConst;
import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.exception.NacosException;
import io.gangway.testing.nacos.NacosServerHandle;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * {@link NacosServerHandle} over a real server: "someone else" is a second nacos-client (one per namespace). Every
 * config it published and did not remove is removed by {@link #close()}. Configs only; it cannot stop the server.
 */
final class RealNacosServerHandle implements NacosServerHandle {

  private static final long READ_TIMEOUT_MS = 3000;

  private final String serverAddr;
  private final Properties credentials;
  private final Map<String, ConfigService> clients = new HashMap<>();
  private final Set<List<String>> published = new LinkedHashSet<>();

  RealNacosServerHandle(String serverAddr, Properties credentials) {
    this.serverAddr = serverAddr;
    this.credentials = credentials;
  }

  /** {@code NACOS_ADDR}, and {@code NACOS_USERNAME}/{@code NACOS_PASSWORD} when the username is set. */
  static RealNacosServerHandle fromEnvironment() {
    String addr = System.getenv("NACOS_ADDR");
    if (addr == null || addr.isBlank()) {
      throw new IllegalStateException("NACOS_ADDR is not set");
    }
    Properties credentials = new Properties();
    String username = System.getenv("NACOS_USERNAME");
    if (username != null && !username.isBlank()) {
      credentials.setProperty(PropertyKeyConst.USERNAME, username);
      credentials.setProperty(PropertyKeyConst.PASSWORD, System.getenv().getOrDefault("NACOS_PASSWORD", ""));
    }
    return new RealNacosServerHandle(addr.trim(), credentials);
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
  public void publishConfig(String namespace, String group, String dataId, String content) throws NacosException {
    published.add(List.of(namespace, group, dataId));
    if (!client(namespace).publishConfig(dataId, group, content)) {
      throw new IllegalStateException("publish of " + namespace + "/" + group + "/" + dataId + " to " + serverAddr
          + " was refused");
    }
  }

  @Override
  public boolean removeConfig(String namespace, String group, String dataId) throws NacosException {
    published.remove(List.of(namespace, group, dataId));
    return client(namespace).removeConfig(dataId, group);
  }

  @Override
  public @Nullable String configMd5(String namespace, String group, String dataId) throws NacosException {
    String content = client(namespace).getConfig(dataId, group, READ_TIMEOUT_MS);
    return content == null ? null : NacosRouteSource.md5(content);
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
        client(key.get(0)).removeConfig(key.get(2), key.get(1));
      } catch (NacosException | RuntimeException e) {
        System.err.println("cannot remove test config " + key + " from " + serverAddr + ": " + e);
      }
    }
    published.clear();
    for (ConfigService client : clients.values()) {
      try {
        client.shutDown();
      } catch (NacosException | RuntimeException e) {
        // best effort
      }
    }
    clients.clear();
  }

  @Override
  public String toString() {
    return "RealNacosServerHandle[" + serverAddr + "]";
  }

  private ConfigService client(String namespace) throws NacosException {
    ConfigService client = clients.get(namespace);
    if (client == null) {
      Properties p = new Properties();
      p.putAll(credentials);
      p.setProperty(PropertyKeyConst.SERVER_ADDR, serverAddr);
      if (!namespace.isBlank()) {
        p.setProperty(PropertyKeyConst.NAMESPACE, namespace);
      }
      client = NacosFactory.createConfigService(p);
      clients.put(namespace, client);
    }
    return client;
  }
}
