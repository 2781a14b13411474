package io.gangway.testing.nacos;

import com.alibaba.nacos.api.NacosFactory;
import com.alibaba.nacos.api.PropertyKeyConst;
import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.exception.NacosException;
import com.alibaba.nacos.api.naming.NamingService;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** Real nacos-client instances for one test, all shut down by {@link #close()}. */
final class NacosClients implements AutoCloseable {

  private final String serverAddr;
  private final Properties credentials;
  private final List<ConfigService> configs = new ArrayList<>();
  private final List<NamingService> namings = new ArrayList<>();

  NacosClients(String serverAddr, Properties credentials) {
    this.serverAddr = serverAddr;
    this.credentials = credentials;
  }

  /** A config client; {@code namespace} "" means the default namespace. */
  ConfigService config(String namespace) throws NacosException {
    ConfigService client = NacosFactory.createConfigService(properties(namespace));
    configs.add(client);
    return client;
  }

  /** A naming client; {@code namespace} "" means the default namespace. */
  NamingService naming(String namespace) throws NacosException {
    NamingService client = NacosFactory.createNamingService(properties(namespace));
    namings.add(client);
    return client;
  }

  /** Shuts one naming client down now, as an application that exits. */
  void shutDown(NamingService client) throws NacosException {
    namings.remove(client);
    client.shutDown();
  }

  Properties properties(String namespace) {
    Properties properties = new Properties();
    properties.putAll(credentials);
    properties.setProperty(PropertyKeyConst.SERVER_ADDR, serverAddr);
    if (!namespace.isEmpty()) {
      properties.setProperty(PropertyKeyConst.NAMESPACE, namespace);
    }
    return properties;
  }

  @Override
  public void close() {
    for (ConfigService client : configs) {
      try {
        client.shutDown();
      } catch (NacosException | RuntimeException e) {
        // best effort
      }
    }
    for (NamingService client : namings) {
      try {
        client.shutDown();
      } catch (NacosException | RuntimeException e) {
        // best effort
      }
    }
  }
}
