package io.gangway.testing.nacos;

import com.alibaba.nacos.api.exception.NacosException;
import java.util.Map;
import java.util.Properties;

/**
 * What the contract tests need from a Nacos server besides the client under test: its address and
 * credentials, writes by "someone else", and (for the double only) outages.
 */
interface NacosServerHandle extends AutoCloseable {

  String serverAddr();

  /** Client properties for auth: username/password, or empty. */
  Properties credentials();

  void publishConfig(String namespace, String group, String dataId, String content)
      throws Exception;

  void registerInstance(
      String namespace,
      String group,
      String service,
      String ip,
      int port,
      Map<String, String> metadata)
      throws Exception;

  void deregisterInstance(String namespace, String group, String service, String ip, int port)
      throws Exception;

  /** Whether {@link #stop()} and {@link #restart()} work (not against a real server). */
  boolean supportsOutage();

  void stop();

  void restart();

  @Override
  void close() throws NacosException;
}
