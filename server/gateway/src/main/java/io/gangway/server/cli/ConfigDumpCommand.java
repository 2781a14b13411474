package io.gangway.server.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gangway config-dump}: prints the xDS resources a running gateway serves ({@code GET
 * /config_dump?type=}), YAML. Exit status: 0 printed, 1 not ready, 2 usage (an unknown type), 3
 * admin unreachable or 401.
 */
@Command(
    name = "config-dump",
    mixinStandardHelpOptions = true,
    description = "Print the xDS resources a running gateway serves (GET /config_dump), YAML.",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:printed",
      "1:the admin API answered an error (not ready)",
      "2:usage error (an unknown --type)",
      "3:the admin API is unreachable or refused the token (401)"
    })
public final class ConfigDumpCommand implements Callable<Integer> {

  /** The resource types the admin API dumps (secrets with their private keys redacted). */
  enum Type {
    listeners,
    routes,
    clusters,
    endpoints,
    secrets,
    all
  }

  @Mixin AdminOptions admin = new AdminOptions();

  @Option(
      names = "--type",
      description =
          "listeners, routes (default), clusters, endpoints, secrets (private keys redacted) or"
              + " all")
  Type type = Type.routes;

  @Override
  public Integer call() {
    AdminOptions.Answer a;
    try {
      a = admin.get("/config_dump?type=" + type.name().toLowerCase(Locale.ROOT));
    } catch (AdminOptions.AdminException e) {
      return AdminOptions.fail(e);
    }
    if (a.status() != 200) {
      return AdminOptions.answered(a);
    }
    System.out.print(a.body());
    return AdminOptions.OK;
  }
}
