package io.gangway.server.cli;

import com.alibaba.nacos.api.config.ConfigService;
import com.alibaba.nacos.api.exception.NacosException;
import io.gangway.ingress.IngressTranslator;
import io.gangway.ingress.resource.ParsedDocument;
import io.gangway.route.nacos.NacosRouteSource;
import io.gangway.spi.route.RouteDocument;
import io.gangway.spi.route.SourceRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gangway publish}: validates a route file locally, then publishes it to a dataId with a
 * compare-and-swap on the md5, so an edit made concurrently by someone else is never overwritten.
 * With {@code --if-md5} (the md5 {@code gangway get} printed when the edit began) the whole edit is
 * protected; without it, the window between reading and writing is. Exit status: 0 published or
 * unchanged, 1 validation errors, 2 changed concurrently, 3 Nacos unreachable or login refused.
 */
@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = "Validate a route file and publish it to Nacos with a CAS on the md5.",
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
      "0:published or unchanged",
      "1:validation errors, nothing published",
      "2:changed concurrently (or usage error)",
      "3:Nacos unreachable or login refused"
    })
public final class PublishCommand implements Callable<Integer> {

  @Mixin NacosOptions nacos = new NacosOptions();

  @Parameters(index = "0", paramLabel = "FILE", description = "the route file to publish")
  Path file;

  @Option(
      names = "--if-md5",
      description = "publish only if Nacos still holds this md5 ('' = only if absent)")
  String ifMd5;

  @Option(names = "--force", description = "publish even when validation reports errors")
  boolean force;

  @Override
  public Integer call() throws Exception {
    try {
      return run();
    } catch (NacosException e) {
      return nacos.fail(e);
    } catch (NacosOptions.UnreachableException e) {
      return nacos.fail(e);
    }
  }

  private int run() throws Exception {
    String content = Files.readString(file);
    ParsedDocument p =
        new IngressTranslator(null)
            .parse(new RouteDocument(SourceRef.file(file.toString()), content, "local"));
    p.diagnostics().forEach(System.err::println);
    if (p.hasErrors() && !force) {
      System.err.println(
          "gangway: error: "
              + file
              + " has errors; nothing was published (use --force to publish anyway)");
      return 1;
    }
    ConfigService c = nacos.connect();
    try {
      String current = c.getConfig(nacos.dataId, nacos.group, nacos.timeoutMs);
      if (current == null) {
        NacosOptions.requireConnected(c); // else an unreachable server reads as "absent"
      }
      String currentMd5 = current == null ? "" : NacosRouteSource.md5(current);
      String expected = ifMd5 != null ? ifMd5 : currentMd5;
      if (!expected.equals(currentMd5)) {
        System.err.println(
            "gangway: error: "
                + nacos.where()
                + " changed since md5 "
                + (expected.isEmpty() ? "(absent)" : expected)
                + " (now "
                + (currentMd5.isEmpty() ? "absent" : currentMd5)
                + "); fetch it again with gangway get and merge");
        return 2;
      }
      if (content.equals(current)) {
        System.err.println(
            "unchanged: " + nacos.where() + " already holds this content (md5 " + currentMd5 + ")");
        return 0;
      }
      boolean ok =
          current == null
              ? c.publishConfig(nacos.dataId, nacos.group, content, "yaml")
              : c.publishConfigCas(nacos.dataId, nacos.group, content, currentMd5, "yaml");
      if (!ok) {
        NacosOptions.requireConnected(
            c); // a refused publish and a lost connection both answer false
        System.err.println(
            "gangway: error: "
                + nacos.where()
                + " was changed concurrently (CAS on md5 "
                + currentMd5
                + " failed); fetch it again with gangway get and merge");
        return 2;
      }
      System.err.println("published " + nacos.where() + " md5 " + NacosRouteSource.md5(content));
      return 0;
    } finally {
      c.shutDown();
    }
  }
}
