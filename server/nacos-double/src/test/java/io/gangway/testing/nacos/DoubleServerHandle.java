package io.gangway.testing.nacos;

import com.alibaba.nacos.api.PropertyKeyConst;
import java.util.Map;
import java.util.Properties;

/** {@link NacosServerHandle} over a {@link NacosDouble}: "someone else" is the double's own API. */
final class DoubleServerHandle implements NacosServerHandle {

  private final NacosDouble nacos;
  private final Properties credentials = new Properties();

  DoubleServerHandle(NacosDouble nacos) {
    this.nacos = nacos;
  }

  DoubleServerHandle(NacosDouble nacos, String username, String password) {
    this(nacos);
    credentials.setProperty(PropertyKeyConst.USERNAME, username);
    credentials.setProperty(PropertyKeyConst.PASSWORD, password);
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
}
