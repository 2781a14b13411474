package io.gangway.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.alibaba.nacos.api.config.ConfigFactory;
import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.exception.NacosException;
import java.util.Properties;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * {@code NacosOptions} are the connection options shared by {@code get}, {@code diff} and {@code
 * publish}. Secrets come from the environment ({@code NACOS_PASSWORD}, {@code NACOS_SECRET_KEY}) so
 * they never appear in the process list or shell history.
 *
 * <p>A CLI run is one line of outcome, not nacos-client's log: its loggers are switched off (set
 * {@code -Dgangway.cli.nacosClientLogs=true} to see them), and {@link #connect()} first checks that
 * a server is reachable at all, because nacos-client answers reads against an unreachable server
 * from its empty local cache and publishes with {@code false}. Exit status 3 means unreachable or
 * refused.
 */
final class NacosOptions {

  @Option(
      names = "--server",
      description = "Nacos address host:port (default: $NACOS_ADDR or 127.0.0.1:8848)")
  String server = System.getenv().getOrDefault("NACOS_ADDR", "127.0.0.1:8848");

  @Option(
      names = "--namespace",
      description = "namespace id (default: ${DEFAULT-VALUE})",
      defaultValue = "public")
  String namespace = "public";

  @Option(
      names = "--group",
      description = "group (default: ${DEFAULT-VALUE})",
      defaultValue = "DEFAULT_GROUP")
  String group = "DEFAULT_GROUP";

  @Option(names = "--data-id", required = true, description = "the dataId")
  String dataId;

  @Option(names = "--username", description = "Nacos user (password from $NACOS_PASSWORD)")
  String username = System.getenv("NACOS_USERNAME");

  @Option(names = "--access-key", description = "AK (secret key from $NACOS_SECRET_KEY)")
  String accessKey = System.getenv("NACOS_ACCESS_KEY");

  @Option(
      names = "--timeout-ms",
      description = "request timeout (default: ${DEFAULT-VALUE})",
      defaultValue = "5000")
  long timeoutMs = 5000;

  /** Exit status for an unreachable server or a refused login. */
  static final int UNREACHABLE = 3;

  /**
   * No server of {@code --server} could be reached; the message is the reason, e.g. "connection
   * refused".
   */
  static final class UnreachableException extends Exception {
    private static final long serialVersionUID = 1L;

    UnreachableException(String reason) {
      super(reason, null, false, false);
    }
  }

  ConfigService connect() throws NacosException, UnreachableException {
    // nacos-client's own logback setup does not load on logback 1.6 and only prints a warning.
    System.setProperty(
        "nacos.logging.default.config.enabled",
        System.getProperty("nacos.logging.default.config.enabled", "false"));
    silenceClientLogs();
    String problem =
        NacosReachability.problem(server, (int) Math.max(100, Math.min(timeoutMs, 5000)));
    if (problem != null) {
      throw new UnreachableException(problem);
    }
    if (username != null && !username.isEmpty() && System.getenv("NACOS_PASSWORD") == null) {
      System.err.println("gangway: warning: --username is set but $NACOS_PASSWORD is not");
    }
    Properties p = new Properties();
    p.setProperty("serverAddr", server);
    p.setProperty("namespace", namespace);
    if (username != null && !username.isEmpty()) {
      p.setProperty("username", username);
      p.setProperty("password", System.getenv().getOrDefault("NACOS_PASSWORD", ""));
    }
    if (accessKey != null && !accessKey.isEmpty()) {
      p.setProperty("accessKey", accessKey);
      p.setProperty("secretKey", System.getenv().getOrDefault("NACOS_SECRET_KEY", ""));
    }
    return ConfigFactory.createConfigService(p);
  }

  /**
   * Throws when nacos-client has no connection. Called when a read found nothing or a publish was
   * refused: nacos-client answers both that way when the server went away after {@link #connect()}.
   */
  static void requireConnected(ConfigService c) throws UnreachableException {
    String status = c.getServerStatus();
    if (!"UP".equals(status)) {
      throw new UnreachableException("no connection (nacos-client status " + status + ")");
    }
  }

  /** Prints the one-line error for an unreachable server and returns exit status 3. */
  int fail(UnreachableException e) {
    System.err.println("gangway: error: cannot reach Nacos at " + server + ": " + e.getMessage());
    return UNREACHABLE;
  }

  /** Turns nacos-client's loggers off for this CLI run (they print retries with stack traces). */
  private static void silenceClientLogs() {
    if (Boolean.getBoolean("gangway.cli.nacosClientLogs")) {
      return;
    }
    if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger("com.alibaba.nacos").setLevel(Level.OFF);
    }
    // nacos-client's shaded gRPC logs through java.util.logging (e.g. a "Panic!" when a channel to
    // a port
    // that is not Nacos is shut down); keep a strong reference, JUL holds its loggers weakly.
    SHADED_GRPC_JUL.setLevel(java.util.logging.Level.OFF);
  }

  private static final java.util.logging.Logger SHADED_GRPC_JUL =
      java.util.logging.Logger.getLogger("com.alibaba.nacos.shaded.io.grpc");

  /** Prints the one-line error for a Nacos failure and returns exit status 3. */
  int fail(NacosException e) {
    String msg = e.getErrMsg() != null ? e.getErrMsg() : String.valueOf(e.getMessage());
    System.err.println(
        "gangway: error: "
            + where()
            + ": "
            + msg.lines().findFirst().orElse("")
            + ". Check --server, --namespace, --username and $NACOS_PASSWORD");
    return UNREACHABLE;
  }

  String where() {
    return "nacos:" + namespace + "/" + group + "/" + dataId + " at " + server;
  }
}
