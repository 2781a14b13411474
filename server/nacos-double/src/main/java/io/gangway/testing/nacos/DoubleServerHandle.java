package io.gangway.testing.nacos;

import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * {@link NacosServerHandle} over a {@link NacosDouble}: "someone else" is the double's own Java
 * API, and outages are {@link NacosDouble#stop()}/{@link NacosDouble#restart()}. {@link #close()}
 * closes the double.
 */
public final class DoubleServerHandle implements NacosServerHandle {

  private final NacosDouble nacos;
  private final Properties credentials = new Properties();

  /** A handle over a double without auth. */
  public DoubleServerHandle(NacosDouble nacos) {
    this.nacos = nacos;
  }

  /** A handle over a double started with {@code builder().auth(username, password)}. */
  public DoubleServerHandle(NacosDouble nacos, String username, String password) {
    this(nacos);
    credentials.setProperty("username", username);
    credentials.setProperty("password", password);
  }

  /** The double, for what only it can tell (e.g. {@link NacosDouble#unhandledRequests()}). */
  public NacosDouble nacos() {
    return nacos;
  }

  @Override
  public String serverAddr() {
    return nacos.serverAddr();
  }

  @Override
  public Properties credentials() {
    return credentials;
  }

  @Override
  public void publishConfig(String namespace, String group, String dataId, String content) {
    nacos.publishConfig(namespace, group, dataId, content);
  }

  @Override
  public boolean removeConfig(String namespace, String group, String dataId) {
    return nacos.removeConfig(namespace, group, dataId);
  }

  @Override
  public @Nullable String configMd5(String namespace, String group, String dataId) {
    return nacos.configMd5(namespace, group, dataId);
  }

  @Override
  public void registerInstance(
      String namespace,
      String group,
      String service,
      String ip,
      int port,
      Map<String, String> metadata) {
    nacos.registerInstance(namespace, group, service, ip, port, 1.0, true, metadata);
  }

  @Override
  public void deregisterInstance(
      String namespace, String group, String service, String ip, int port) {
    nacos.deregisterInstance(namespace, group, service, ip, port);
  }

  @Override
  public boolean supportsOutage() {
    return true;
  }

  @Override
  public void stop() {
    nacos.stop();
  }

  @Override
  public void restart() {
    nacos.restart();
  }

  @Override
  public void close() {
    nacos.close();
  }

  @Override
  public String toString() {
    return "DoubleServerHandle[" + nacos + "]";
  }
}
