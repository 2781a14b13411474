package io.gangway.testing.nacos;

import java.util.Map;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * The Nacos server a test runs against, seen from outside the client under test: its address and
 * credentials, writes by "someone else" (a publish in the console, another application) and, for
 * the double only, outages. One test suite can then run against {@link NacosDouble} ({@link
 * DoubleServerHandle}) and, opt-in, against a real server ({@link RealServerHandle}, a second
 * nacos-client).
 *
 * <p>A blank namespace means {@code public}. Implementations need not be thread-safe.
 */
public interface NacosServerHandle extends AutoCloseable {

  /** {@code host:port} for the client's {@code serverAddr}. */
  String serverAddr();

  /**
   * nacos-client properties for auth: {@code username}/{@code password} (the values of {@code
   * PropertyKeyConst.USERNAME}/{@code PASSWORD}), or empty when auth is off.
   */
  Properties credentials();

  /** Publishes (creates or replaces) a config; returns once the server has accepted it. */
  void publishConfig(String namespace, String group, String dataId, String content)
      throws Exception;

  /** Removes a config; returns whether it existed (a real server may always answer true). */
  boolean removeConfig(String namespace, String group, String dataId) throws Exception;

  /** The server's md5 of a config (lower-case hex of the UTF-8 content), or null when absent. */
  @Nullable String configMd5(String namespace, String group, String dataId) throws Exception;

  /**
   * Registers an ephemeral instance as another application would. Optional: handles used only for
   * configs may leave it unsupported.
   */
  default void registerInstance(
      String namespace,
      String group,
      String service,
      String ip,
      int port,
      Map<String, String> metadata)
      throws Exception {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " does not register instances");
  }

  /** Deregisters an instance registered by {@link #registerInstance}. Optional, like it. */
  default void deregisterInstance(
      String namespace, String group, String service, String ip, int port) throws Exception {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " does not register instances");
  }

  /** Whether {@link #stop()} and {@link #restart()} work (only against the double). */
  boolean supportsOutage();

  /** Stops the server as in an outage; its state is kept. */
  void stop();

  /** Starts a stopped server again on the same ports. */
  void restart();

  /**
   * Releases what the handle holds; a real-server handle removes the configs it published. Throws
   * only unchecked exceptions.
   */
  @Override
  void close();
}
