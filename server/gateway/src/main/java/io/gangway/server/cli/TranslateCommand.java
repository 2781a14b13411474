package io.gangway.server.cli;

import io.gangway.ingress.IngressTranslator;
import io.gangway.ingress.TranslationResult;
import io.gangway.server.Settings;
import io.gangway.server.config.ConfigException;
import io.gangway.server.config.ConfigLoader;
import io.gangway.server.config.GatewayConfig;
import io.gangway.server.registry.RegistryManager;
import io.gangway.spi.route.RouteSnapshot;
import io.gangway.xds.XdsPrinter;
import io.gangway.xds.XdsResources;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gangway translate}: prints the listeners, routes, clusters and endpoints the gateway would
 * serve for the given route files, without a server, Nacos or Envoy. Diagnostics go to stderr.
 * Endpoints come from registries that answer without a network ({@code static}); others show empty.
 */
@Command(name = "translate", mixinStandardHelpOptions = true,
    description = "Print the xDS resources the gateway would serve for route files/directories.")
public final class TranslateCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "route files or directories")
  List<Path> paths = List.of();

  @Option(names = {"-o", "--output"}, description = "yaml, json or none (default: ${DEFAULT-VALUE})", defaultValue = "yaml")
  String output = "yaml";

  @Option(names = "--conf", description = "gangway.yaml for listener settings (default: built-in defaults)")
  Path conf;

  @Option(names = "--stats", description = "print timing and retained heap to stderr (5 runs: first and best)")
  boolean stats;

  @Override
  public Integer call() throws Exception {
    RouteSnapshot snapshot;
    GatewayConfig config;
    try {
      snapshot = Inputs.read(paths);
      config = conf == null ? new GatewayConfig(null, null, null, null, null) : ConfigLoader.load(conf);
    } catch (StartupException e) {
      System.err.println("gangway: error: " + e.getMessage());
      return e.exitCode();
    } catch (ConfigException e) {
      System.err.println("gangway: error: " + e.getMessage());
      return StartupException.CONFIG;
    }
    Settings settings = Settings.of(config, conf == null ? Path.of("conf/gangway.yaml") : conf);
    if (stats) {
      Stats.measure(snapshot, config, settings);
    }
    TranslationResult r = new IngressTranslator(config.gateway().ingressClass()).translateDocuments(snapshot.documents());
    r.diagnostics().forEach(d -> System.err.println(d));
    XdsResources x;
    try (RegistryManager registries = new RegistryManager(RegistryManager.loadProviders(), () -> {})) {
      registries.reconcile(r.model().registries().stream().filter(c -> c.type().equals("static")).toList());
      x = settings.xdsTranslator().translate(r.model(), registries.endpoints());
    }
    if (output.equals("none")) {
      return r.diagnostics().stream().anyMatch(io.gangway.model.Diagnostic::isError) ? 1 : 0;
    }
    boolean json = output.equals("json");
    print("listeners", x.listeners(), json);
    print("routes", x.routes(), json);
    print("clusters", x.clusters(), json);
    print("endpoints", x.endpoints(), json);
    return r.diagnostics().stream().anyMatch(io.gangway.model.Diagnostic::isError) ? 1 : 0;
  }

  private static void print(String title, List<? extends com.google.protobuf.Message> items, boolean json) {
    if (json) {
      System.out.println("{\"" + title + "\": [");
      for (int i = 0; i < items.size(); i++) {
        System.out.println(XdsPrinter.json(items.get(i)) + (i < items.size() - 1 ? "," : ""));
      }
      System.out.println("]}");
    } else {
      System.out.println("# " + title);
      System.out.println(title + ":");
      System.out.print(items.isEmpty() ? "  []\n" : XdsPrinter.yaml(items).replaceAll("(?m)^", "  "));
    }
  }
}
