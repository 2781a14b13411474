package io.gangway.server.cli;

import io.gangway.ingress.IngressTranslator;
import io.gangway.ingress.TranslationResult;
import io.gangway.model.Diagnostic;
import io.gangway.model.GatewayModel;
import io.gangway.server.Settings;
import io.gangway.server.config.ConfigException;
import io.gangway.server.config.ConfigLoader;
import io.gangway.server.config.GatewayConfig;
import io.gangway.server.pipeline.CertificateFiles;
import io.gangway.server.registry.RegistryManager;
import io.gangway.spi.route.RouteSnapshot;
import io.gangway.xds.XdsPrinter;
import io.gangway.xds.XdsResources;
import io.gangway.xds.XdsTranslator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gangway translate}: prints the listeners, routes, clusters, endpoints and secrets the
 * gateway would serve for the given route files (and, with {@code --conf}, its TLS listeners and
 * certificate files), without a server, Nacos or Envoy. Diagnostics go to stderr. Endpoints come
 * from registries that answer without a network ({@code static}); others show empty. Private keys
 * are always printed as {@code [redacted]}.
 */
@Command(
    name = "translate",
    mixinStandardHelpOptions = true,
    description = "Print the xDS resources the gateway would serve for route files/directories.")
public final class TranslateCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "route files or directories")
  List<Path> paths = List.of();

  @Option(
      names = {"-o", "--output"},
      description = "yaml, json or none (default: ${DEFAULT-VALUE})",
      defaultValue = "yaml")
  String output = "yaml";

  @Option(
      names = "--conf",
      description = "gangway.yaml for listener settings (default: built-in defaults)")
  Path conf;

  @Option(
      names = "--stats",
      description = "print timing and retained heap to stderr (5 runs: first and best)")
  boolean stats;

  @Override
  public Integer call() throws Exception {
    RouteSnapshot snapshot;
    GatewayConfig config;
    try {
      snapshot = Inputs.read(paths).snapshot();
      config =
          conf == null ? new GatewayConfig(null, null, null, null, null) : ConfigLoader.load(conf);
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
    TranslationResult r =
        new IngressTranslator(config.gateway().ingressClass())
            .translateDocuments(snapshot.documents());
    XdsTranslator translator = settings.xdsTranslator();
    CertificateFiles files = new CertificateFiles(translator.certificateFiles());
    files.reload();
    List<Diagnostic> diagnostics = new ArrayList<>(r.diagnostics());
    diagnostics.addAll(files.diagnostics());
    diagnostics.forEach(d -> System.err.println(d));
    GatewayModel model = r.model().withFallbackTls(files.certificates(), files.bindings());
    XdsResources x;
    try (RegistryManager registries =
        new RegistryManager(RegistryManager.loadProviders(), () -> {})) {
      registries.reconcile(
          model.registries().stream().filter(c -> c.type().equals("static")).toList());
      x = translator.translate(model, registries.endpoints());
    }
    int status = diagnostics.stream().anyMatch(Diagnostic::isError) ? 1 : 0;
    if (output.equals("none")) {
      return status;
    }
    boolean json = output.equals("json");
    print("listeners", x.listeners(), json);
    print("routes", x.routes(), json);
    print("clusters", x.clusters(), json);
    print("endpoints", x.endpoints(), json);
    // XdsPrinter redacts every private key; the certificate chains are public and shown.
    print("secrets", x.secrets(), json);
    return status;
  }

  private static void print(
      String title, List<? extends com.google.protobuf.Message> items, boolean json) {
    if (json) {
      System.out.println("{\"" + title + "\": [");
      for (int i = 0; i < items.size(); i++) {
        System.out.println(XdsPrinter.json(items.get(i)) + (i < items.size() - 1 ? "," : ""));
      }
      System.out.println("]}");
    } else {
      System.out.println("# " + title);
      System.out.println(title + ":");
      System.out.print(
          items.isEmpty() ? "  []\n" : XdsPrinter.yaml(items).replaceAll("(?m)^", "  "));
    }
  }
}
