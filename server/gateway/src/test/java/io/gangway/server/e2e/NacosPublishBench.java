package io.gangway.server.e2e;

import io.gangway.echo.EchoServer;
import io.gangway.testing.nacos.NacosDouble;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Benchmark, not a test (run by {@code bench/nacos-publish.sh}): publish → Envoy serving latency
 * over many publishes, through the real JVM, the real nacos-client, the Nacos double and a real
 * Envoy. Each publish flips host {@code shop.test} between two backends in a dataId holding N
 * routes.
 */
public final class NacosPublishBench {

  private NacosPublishBench() {}

  /** Arguments: publishes (default 50), routes in the dataId (default 10). */
  public static void main(String[] args) throws Exception {
    int publishes = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int routes = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    try (EchoServer a = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "a");
        EchoServer b = EchoServer.start(new InetSocketAddress("127.0.0.1", 0), "b");
        NacosDouble nacos = NacosDouble.start()) {
      nacos.publishConfig(
          "public", "DEFAULT_GROUP", "routes.yaml", content(a, b, "a.static", routes));
      try (GatewayHarness gw = new GatewayHarness("# from Nacos\n")) {
        gw.addRoutesConfig(
            """
              source: nacos
              nacos: {serverAddr: "%s", dataIds: [routes.yaml]}
            """
                .formatted(nacos.serverAddr()));
        gw.startJvm();
        gw.startEnvoy();
        GatewayHarness.await("first config", Duration.ofSeconds(20), () -> backend(gw).equals("a"));
        List<Long> samples = new ArrayList<>();
        String target = "b";
        for (int i = 0; i < publishes; i++) {
          String want = target;
          long t0 = System.nanoTime();
          nacos.publishConfig(
              "public", "DEFAULT_GROUP", "routes.yaml", content(a, b, want + ".static", routes));
          GatewayHarness.await(
              "publish " + i, Duration.ofSeconds(10), () -> backend(gw).equals(want));
          samples.add((System.nanoTime() - t0) / 1_000_000);
          target = target.equals("a") ? "b" : "a";
          Thread.sleep(250); // let the debounce window close: each publish is measured on its own
        }
        Collections.sort(samples);
        System.out.printf(
            "nacos publish -> Envoy serving: %d publishes, %d routes in the dataId%n",
            publishes, routes);
        System.out.printf(
            "  min %d ms  p50 %d ms  p90 %d ms  p99 %d ms  max %d ms%n",
            samples.get(0),
            pct(samples, 50),
            pct(samples, 90),
            pct(samples, 99),
            samples.get(samples.size() - 1));
      }
    }
  }

  private static long pct(List<Long> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  private static String content(EchoServer a, EchoServer b, String target, int routes) {
    StringBuilder paths = new StringBuilder();
    for (int i = 1; i < routes; i++) {
      paths
          .append("          - {path: /filler/")
          .append(i)
          .append(
              ", pathType: Prefix, backend: {service: {name: a.static, port: {number: 80}}}}\n");
    }
    return NacosScaleOutIT.routes(a.port(), b.port(), target) + paths;
  }

  private static String backend(GatewayHarness gw) {
    try {
      RawHttp.Response r = RawHttp.get(gw.httpPort, "shop.test", "/");
      return r.status() == 200 ? r.backend() : "status " + r.status();
    } catch (Exception e) {
      return e.toString();
    }
  }
}
