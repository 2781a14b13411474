package io.gangway.server;

import io.gangway.server.cli.BootstrapCommand;
import io.gangway.server.cli.ClustersCommand;
import io.gangway.server.cli.ConfigDumpCommand;
import io.gangway.server.cli.DiffCommand;
import io.gangway.server.cli.EchoCommand;
import io.gangway.server.cli.EndpointsCommand;
import io.gangway.server.cli.GetCommand;
import io.gangway.server.cli.PublishCommand;
import io.gangway.server.cli.RoutesCommand;
import io.gangway.server.cli.RunCommand;
import io.gangway.server.cli.StatusCommand;
import io.gangway.server.cli.TranslateCommand;
import io.gangway.server.cli.ValidateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code Main} is the {@code gangway} command. */
@Command(
    name = "gangway",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Standalone API gateway: Ingress YAML from files or Nacos, served to Envoy over xDS.",
    subcommands = {
      RunCommand.class,
      ValidateCommand.class,
      TranslateCommand.class,
      BootstrapCommand.class,
      EchoCommand.class,
      GetCommand.class,
      DiffCommand.class,
      PublishCommand.class,
      StatusCommand.class,
      RoutesCommand.class,
      ClustersCommand.class,
      EndpointsCommand.class,
      ConfigDumpCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main {

  private Main() {}

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  /** Prints the version of the jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"gangway " + (v == null ? "dev" : v)};
    }
  }
}
