package io.gangway.server.cli;

import io.gangway.ingress.IngressTranslator;
import io.gangway.ingress.TranslationResult;
import io.gangway.server.Settings;
import io.gangway.server.config.GatewayConfig;
import io.gangway.spi.route.RouteSnapshot;
import io.gangway.xds.XdsResources;
import java.lang.management.ManagementFactory;
import java.util.Map;

/**
 * {@code Stats} measures translation for {@code gangway translate --stats}: five full runs (parse +
 * Ingress translation, then xDS translation), the first (cold JVM) and the best (warm) time, and
 * the heap still used after a GC with the result held, i.e. what the live config costs in memory.
 */
final class Stats {

  private Stats() {}

  static void measure(RouteSnapshot snapshot, GatewayConfig config, Settings settings) {
    long first = 0;
    long best = Long.MAX_VALUE;
    long bestModel = 0;
    TranslationResult r = null;
    XdsResources x = null;
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      r =
          new IngressTranslator(config.gateway().ingressClass())
              .translateDocuments(snapshot.documents());
      long t1 = System.nanoTime();
      x = settings.xdsTranslator().translate(r.model(), Map.of());
      long t2 = System.nanoTime();
      if (i == 0) {
        first = t2 - t0;
      }
      if (t2 - t0 < best) {
        best = t2 - t0;
        bestModel = t1 - t0;
      }
    }
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    int routes = r.model().virtualHosts().stream().mapToInt(v -> v.routes().size()).sum();
    long bytes = x.routes().stream().mapToLong(m -> m.getSerializedSize()).sum();
    System.err.printf(
        "translate: %d documents, %d virtual hosts, %d routes, %d clusters%n",
        snapshot.documents().size(),
        r.model().virtualHosts().size(),
        routes,
        r.model().clusters().size());
    System.err.printf(
        "translate: first run %.1f ms, best of 5 %.1f ms (of which YAML+Ingress %.1f ms)%n",
        first / 1e6, best / 1e6, bestModel / 1e6);
    System.err.printf(
        "translate: heap used after GC, result held: %.1f MiB; RDS payload %d KiB%n",
        heap / 1048576.0, bytes / 1024);
  }
}
