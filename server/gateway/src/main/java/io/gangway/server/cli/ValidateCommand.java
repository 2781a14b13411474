package io.gangway.server.cli;

import io.gangway.ingress.IngressTranslator;
import io.gangway.ingress.TranslationResult;
import io.gangway.ingress.resource.McpBridgeResource;
import io.gangway.ingress.resource.ParsedDocument;
import io.gangway.model.Diagnostic;
import io.gangway.server.registry.RegistryManager;
import io.gangway.server.source.file.FileRouteSource;
import io.gangway.spi.registry.RegistryConfig;
import io.gangway.spi.route.RouteDocument;
import io.gangway.spi.route.RouteSnapshot;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gangway validate}: checks route files offline exactly as the running gateway would,
 * printing {@code file:line:col: severity: message (at path)}; exits 1 when any document has an
 * error.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Validate route files/directories offline; non-zero exit on errors.")
public final class ValidateCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "route files or directories")
  List<Path> paths = List.of();

  @Option(names = "--ingress-class", description = "only Ingresses of this class (default: all)")
  String ingressClass = "";

  @Override
  public Integer call() {
    RouteSnapshot snapshot;
    int emptyPaths;
    try {
      FileRouteSource.Reading reading = Inputs.read(paths);
      snapshot = reading.snapshot();
      emptyPaths = reading.emptyRoots().size();
    } catch (StartupException e) {
      System.err.println("gangway: error: " + e.getMessage());
      return e.exitCode();
    }
    IngressTranslator translator = new IngressTranslator(ingressClass);
    RegistryManager registries = new RegistryManager(RegistryManager.loadProviders(), () -> {});
    List<Diagnostic> all = new ArrayList<>();
    List<ParsedDocument> good = new ArrayList<>();
    for (RouteDocument doc : snapshot.documents()) {
      ParsedDocument p = translator.parse(doc);
      all.addAll(p.diagnostics());
      for (McpBridgeResource b : p.bridges()) {
        for (RegistryConfig r : b.registries()) {
          String err = registries.check(r);
          if (!err.isEmpty() && !err.startsWith("unavailable:")) {
            all.add(
                new Diagnostic(
                    io.gangway.model.Severity.ERROR,
                    doc.source(),
                    b.at().line(),
                    b.at().column(),
                    b.at().path(),
                    "registry " + r.key() + ": " + err));
          }
        }
      }
      if (!p.hasErrors()) {
        good.add(p);
      }
    }
    TranslationResult r = translator.translate(good);
    // The translation repeats some parse diagnostics; a set keeps this linear for files with many
    // warnings.
    java.util.Set<Diagnostic> seen = new java.util.HashSet<>(all);
    r.diagnostics().stream().filter(seen::add).forEach(all::add);
    all.forEach(d -> System.out.println(d));
    long errors = all.stream().filter(Diagnostic::isError).count();
    System.err.printf(
        "%d documents, %d errors, %d warnings%n",
        snapshot.documents().size(), errors, all.size() - errors + emptyPaths);
    return errors > 0 ? 1 : 0;
  }
}
