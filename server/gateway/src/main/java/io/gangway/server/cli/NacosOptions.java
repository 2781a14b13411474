package io.gangway.server.cli;

import com.alibaba.nacos.api.config.ConfigFactory;
import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.exception.NacosException;
import java.util.Properties;
import picocli.CommandLine.Option;

/**
 * {@code NacosOptions} are the connection options shared by {@code get}, {@code diff} and
 * {@code publish}. Secrets come from the environment ({@code NACOS_PASSWORD}, {@code NACOS_SECRET_KEY})
 * so they never appear in the process list or shell history.
 */
final class NacosOptions {

  @Option(names = "--server", description = "Nacos address host:port (default: $NACOS_ADDR or 127.0.0.1:8848)")
  String server = System.getenv().getOrDefault("NACOS_ADDR", "127.0.0.1:8848");

  @Option(names = "--namespace", description = "namespace id (default: ${DEFAULT-VALUE})", defaultValue = "public")
  String namespace = "public";

  @Option(names = "--group", description = "group (default: ${DEFAULT-VALUE})", defaultValue = "DEFAULT_GROUP")
  String group = "DEFAULT_GROUP";

  @Option(names = "--data-id", required = true, description = "the dataId")
  String dataId;

  @Option(names = "--username", description = "Nacos user (password from $NACOS_PASSWORD)")
  String username = System.getenv("NACOS_USERNAME");

  @Option(names = "--access-key", description = "AK (secret key from $NACOS_SECRET_KEY)")
  String accessKey = System.getenv("NACOS_ACCESS_KEY");

  @Option(names = "--timeout-ms", description = "request timeout (default: ${DEFAULT-VALUE})", defaultValue = "5000")
  long timeoutMs = 5000;

  ConfigService connect() throws NacosException {
    // nacos-client's own logback setup does not load on logback 1.6 and only prints a warning.
    System.setProperty("nacos.logging.default.config.enabled",
        System.getProperty("nacos.logging.default.config.enabled", "false"));
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

  /** Prints the one-line error for a Nacos failure and returns exit status 3. */
  int fail(NacosException e) {
    String msg = e.getErrMsg() != null ? e.getErrMsg() : String.valueOf(e.getMessage());
    System.err.println("gangway: error: " + where() + ": " + msg.lines().findFirst().orElse("")
        + ". Check --server, --namespace, --username and $NACOS_PASSWORD");
    return 3;
  }

  String where() {
    return "nacos:" + namespace + "/" + group + "/" + dataId + " at " + server;
  }
}
