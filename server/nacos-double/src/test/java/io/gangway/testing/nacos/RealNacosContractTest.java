package io.gangway.testing.nacos;

import static org.assertj.core.api.Assertions.assertThat;

import com.alibaba.nacos.api.PropertyKeyConst;
import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.exception.NacosException;
import com.alibaba.nacos.api.naming.NamingService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

/**
 * The same contract against a real Nacos 2.x/3.x server: opt in with {@code NACOS_ADDR=host:8848}
 * (plus {@code NACOS_USERNAME}/{@code NACOS_PASSWORD} when auth is on). "Someone else" is a second
 * set of real clients; outage tests are skipped.
 */
@EnabledIfEnvironmentVariable(named = "NACOS_ADDR", matches = ".+")
class RealNacosContractTest extends NacosContractTest {

  @Override
  NacosServerHandle openServer() {
    Properties credentials = new Properties();
    String username = System.getenv("NACOS_USERNAME");
    if (username != null && !username.isBlank()) {
      credentials.setProperty(PropertyKeyConst.USERNAME, username);
      credentials.setProperty(
          PropertyKeyConst.PASSWORD, System.getenv().getOrDefault("NACOS_PASSWORD", ""));
    }
    return new RealServerHandle(System.getenv("NACOS_ADDR"), credentials);
  }

  private static final class RealServerHandle implements NacosServerHandle {
    private final String serverAddr;
    private final Properties credentials;
    private final NacosClients others;
    private final Map<String, ConfigService> publishers = new HashMap<>();
    private final Map<String, NamingService> registrars = new HashMap<>();
    private final List<String[]> published = new ArrayList<>();

    RealServerHandle(String serverAddr, Properties credentials) {
      this.serverAddr = serverAddr;
      this.credentials = credentials;
      this.others = new NacosClients(serverAddr, credentials);
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
      assertThat(publisher(namespace).publishConfig(dataId, group, content)).isTrue();
      published.add(new String[] {namespace, group, dataId});
    }

    @Override
    public boolean removeConfig(String namespace, String group, String dataId)
        throws NacosException {
      return publisher(namespace).removeConfig(dataId, group);
    }

    @Override
    public @Nullable String configMd5(String namespace, String group, String dataId)
        throws NacosException {
      String content = publisher(namespace).getConfig(dataId, group, 3000);
      return content == null ? null : NacosContractTest.md5(content);
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
      // One client per instance: a client owns at most one registration per service.
      NamingService registrar = others.naming(namespace);
      registrars.put(
          String.join("|", namespace, group, service, ip, Integer.toString(port)), registrar);
      var instance = NacosContractTest.instance(ip, port);
      instance.setMetadata(metadata);
      registrar.registerInstance(service, group, instance);
    }

    @Override
    public void deregisterInstance(
        String namespace, String group, String service, String ip, int port) throws NacosException {
      NamingService registrar =
          registrars.remove(
              String.join("|", namespace, group, service, ip, Integer.toString(port)));
      if (registrar != null) {
        registrar.deregisterInstance(service, group, ip, port);
      }
    }

    @Override
    public boolean supportsOutage() {
      return false;
    }

    @Override
    public void stop() {
      throw new UnsupportedOperationException("a real server is not stopped by tests");
    }

    @Override
    public void restart() {
      throw new UnsupportedOperationException("a real server is not stopped by tests");
    }

    @Override
    public void close() {
      try {
        for (String[] key : published) {
          publisher(key[0]).removeConfig(key[2], key[1]);
        }
      } catch (NacosException e) {
        throw new IllegalStateException("cannot remove test configs from " + serverAddr, e);
      } finally {
        others.close();
      }
    }

    private ConfigService publisher(String namespace) throws NacosException {
      ConfigService publisher = publishers.get(namespace);
      if (publisher == null) {
        publisher = others.config(namespace);
        publishers.put(namespace, publisher);
      }
      return publisher;
    }
  }
}
