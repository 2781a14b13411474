package io.gangway.server.cli;

import io.gangway.bootstrap.BootstrapRenderer;
import io.gangway.server.Settings;
import io.gangway.server.config.ConfigException;
import io.gangway.server.config.ConfigLoader;
import io.gangway.server.config.GatewayConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gangway bootstrap}: prints the Envoy bootstrap that {@code run} would write. */
@Command(
    name = "bootstrap",
    mixinStandardHelpOptions = true,
    description = "Print the Envoy bootstrap for gangway.yaml.")
public final class BootstrapCommand implements Callable<Integer> {

  @Option(
      names = "--conf",
      description = "gangway.yaml (default: ${DEFAULT-VALUE})",
      defaultValue = "conf/gangway.yaml")
  Path conf = Path.of("conf/gangway.yaml");

  @Override
  public Integer call() {
    try {
      GatewayConfig config = ConfigLoader.load(conf);
      System.out.print(
          BootstrapRenderer.renderJson(Settings.of(config, conf).bootstrap(config.xds().port())));
      return 0;
    } catch (ConfigException | IllegalArgumentException e) {
      System.err.println("gangway: error: " + e.getMessage());
      return StartupException.CONFIG;
    }
  }
}
